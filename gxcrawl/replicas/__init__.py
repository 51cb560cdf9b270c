"""Local replica portals for tests and the offline demo (127.0.0.1 only). See farm.py."""
from gxcrawl.replicas.farm import Farm, write_manifests

__all__ = ["Farm", "write_manifests"]
