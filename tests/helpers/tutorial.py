"""The tutorial's three processes for a test: two computing nodes and a main node that runs to the end."""


def run_tutorial(processes, domain: int, out, main_args: list[str], name: str = "TestComputing") -> str:
    """Start two computing nodes, run ``main_node.py`` with ``main_args`` writing to ``out``; its output.

    Fails (showing the main node's output) unless the main node exits 0 within 300 s.
    """
    for index in (1, 2):
        processes.start(f"computing{index}", ["computing_node.py", "--domain", str(domain),
                                              "--name", f"{name}{index}", "--quiet"])
    main = processes.start("main", ["main_node.py", "--domain", str(domain), *main_args, "--out", str(out)])
    assert main.wait(timeout=300) == 0, processes.output("main")
    return processes.output("main")
