"""Every docstring example in the gxcrawl package runs and gives the result it shows."""
import doctest
import importlib
import pkgutil

import pytest

import gxcrawl


def modules():
    for info in pkgutil.walk_packages(gxcrawl.__path__, "gxcrawl."):
        if not info.name.endswith(".__main__"):      # running it would start the CLI
            yield info.name


@pytest.mark.parametrize("name", sorted(modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
