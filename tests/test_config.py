"""The library's tuned Cyclone settings apply by default and the user's CYCLONEDDS_URI wins."""
import os
import re

from amlip_py.dds.participant import TUNED_CONFIG, domain_config
from amlip_py.node.StatusNode import StatusNode


def effective(trace: str, key: str) -> str:
    """The value Cyclone reports for config ``key`` in a ``Verbosity=config`` trace."""
    match = re.search(rf"config: Domain/{re.escape(key)}/#text: ([^{{]*)\{{", trace)
    assert match, f"{key} not in trace"
    return match.group(1).strip()


def test_user_settings_are_merged_after_ours(dds_domain, tmp_path, monkeypatch):
    trace_file = tmp_path / "cyclone.log"
    user = (f'<CycloneDDS><Domain Id="any"><General><FragmentSize>8000B</FragmentSize></General>'
            f'<Tracing><Verbosity>config</Verbosity><OutputFile>{trace_file}</OutputFile></Tracing>'
            f'</Domain></CycloneDDS>')
    loopback = os.environ["CYCLONEDDS_URI"]
    monkeypatch.setenv("CYCLONEDDS_URI", f"{loopback},{user}")
    assert domain_config() == f"{TUNED_CONFIG},{loopback},{user}"
    with StatusNode("ConfigProbe", domain=dds_domain):
        pass
    trace = trace_file.read_text()
    assert effective(trace, "General/FragmentSize") == "8000 B", "the user's value must win"
    assert effective(trace, "General/MaxMessageSize") == "65500 B", "our default must apply"
    assert effective(trace, "Discovery/LeaseDuration") == "3 s"
    assert effective(trace, "Internal/NackDelay") == "1 ms"
    fixture_tag = re.search(r"<Tag>([^<]+)</Tag>", loopback).group(1)
    assert effective(trace, "Discovery/Tag") == fixture_tag, "the fixture's tag must apply"
    assert "NetworkInterface[@name]: lo" in trace


def test_without_user_config_ours_alone(monkeypatch):
    monkeypatch.delenv("CYCLONEDDS_URI", raising=False)
    assert domain_config() == TUNED_CONFIG
    assert "<NetworkInterface" not in TUNED_CONFIG and "<Peers>" not in TUNED_CONFIG, \
        "library defaults must not pin interfaces: real deployments use machine interfaces"
