"""Where the bundled scenarios are: the `.toml` files installed as `limitlab.examples`.

examples/ is a folder of data, so `limitlab.examples` is an implicit namespace package, and
`importlib.resources.files()` cannot be trusted with it: a plain (non-strict) editable install
puts setuptools' placeholder `__editable__.….__path_hook__` into its `__path__`, and Python
3.11's namespace reader refuses any entry that is not a folder ("MultiplexedPath only supports
directories"; importlib_resources#311). So the folders are read from the package's search
locations directly, skipping what is not a folder. That holds for a wheel install (pip, pipx),
a strict editable install (a tree of links) and a plain one (the source folder itself).
"""

from importlib.util import find_spec
from pathlib import Path

PACKAGE = "limitlab.examples"


def bundled_scenarios() -> dict[str, Path]:
    """The bundled scenario files by name (the file name without `.toml`), sorted by name.

    Where two folders hold the same name (two installs on one path), the first one on the
    import path wins, as it would for a module.
    """
    spec = find_spec(PACKAGE)
    locations = spec.submodule_search_locations if spec else None
    found: dict[str, Path] = {}
    for location in locations or []:
        folder = Path(location)
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found.setdefault(path.stem, path)
    return dict(sorted(found.items()))
