"""Serve one job with each computing-node listener style, one style at a time.

Styles: async-subclass, async-callback, async-listener, sync-subclass, sync-callback, sync-listener.
Before each style it prints ``READY <style>``; the solution is ``<JOB UPPER-CASED>|<style>``, so the
test knows which style answered. Exits 0 after the last style.
"""
import argparse
import threading

from amlip_py.node.AsyncComputingNode import AsyncComputingNode, JobReplier, JobReplierLambda
from amlip_py.node.ComputingNode import ComputingNode, JobLambda, JobListener
from amlip_py.types.JobSolutionDataType import JobSolutionDataType

STYLES = ["async-subclass", "async-callback", "async-listener", "sync-subclass", "sync-callback", "sync-listener"]


def tagged(job, style):
    return JobSolutionDataType(f"{job.to_string().upper()}|{style}")


class UpperReplier(JobReplier):
    """Subclass style with a constructor of its own, which must call the base one (eProsima's are SWIG directors)."""

    def __init__(self, done):
        super().__init__()
        self.done = done

    def process_job(self, job, task_id, client_id):
        self.done.set()
        return tagged(job, "async-subclass")


class UpperListener(JobListener):
    """Subclass style calling super().__init__()."""

    def __init__(self):
        super().__init__()

    def process_job(self, job):
        return tagged(job, "sync-subclass")


def serve_async(domain, style):
    done = threading.Event()

    def fn(job, task_id, client_id):
        done.set()
        return tagged(job, style)

    kwargs = {"async-subclass": {"listener": UpperReplier(done)},
              "async-callback": {"callback": fn},
              "async-listener": {"listener": JobReplierLambda(fn)}}[style]
    with AsyncComputingNode(style.replace("-", "_"), domain=domain, **kwargs) as node:
        node.run()
        print("READY", style, flush=True)
        done.wait()
        node.stop()


def serve_sync(domain, style):
    with ComputingNode(style.replace("-", "_"), domain=domain) as node:
        print("READY", style, flush=True)
        if style == "sync-subclass":
            node.process_job(listener=UpperListener())
        elif style == "sync-callback":
            node.process_job(callback=lambda job: tagged(job, style))
        else:
            node.process_job(listener=JobLambda(lambda job: tagged(job, style)))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--domain", type=int, required=True)
    args = parser.parse_args()
    for style in STYLES:
        (serve_async if style.startswith("async") else serve_sync)(args.domain, style)
        print("DONE", style, flush=True)


if __name__ == "__main__":
    main()
