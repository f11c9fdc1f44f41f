"""Embedded stack launcher and the `pq` command.

Add a child to `pq up` by appending a ProcessSpec in `pq_launcher.stack.stack_processes`.
"""

from pq_launcher.child import ChildFailedToStart, ChildProcess
from pq_launcher.readiness import HttpProbe, ReadinessProbe, RedisPingProbe, TcpProbe
from pq_launcher.settings import LauncherSettings
from pq_launcher.spec import ProcessSpec, RestartPolicy
from pq_launcher.stack import python_service_spec, stack_processes
from pq_launcher.supervisor import Supervisor

__all__ = [
    "ChildFailedToStart",
    "ChildProcess",
    "HttpProbe",
    "LauncherSettings",
    "ProcessSpec",
    "ReadinessProbe",
    "RedisPingProbe",
    "RestartPolicy",
    "Supervisor",
    "TcpProbe",
    "python_service_spec",
    "stack_processes",
]
