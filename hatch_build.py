"""Build hook: compile the OCDS merge (``cocrea/money/ocds/merge.py``) with Cython.

``merge.py`` is plain Python and works as it is; compiled with the types declared in
``merge.pxd`` its merge walk runs several times faster. The hook compiles a copy of it named
``_cmerge`` (so the plain module stays importable beside it) into the package directory, both
for wheels and for the editable install that ``uv sync`` makes. The copy carries the digest of
the sources it was built from: ``merge.py`` uses it only while the sources are unchanged (see
``merge.load_compiled``). If there is no C compiler, the build goes on without it and the plain
module is used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = Path("src/cocrea/money/ocds")
SOURCES = ("merge.py", "merge.pxd")


def source_digest(directory: Path) -> str:
    # The same digest as `cocrea.money.ocds.merge.source_digest`, which the build cannot import
    # (its environment has none of the project's dependencies): keep the two alike.
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()


class CompiledMergeHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        package = root / PACKAGE
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        target = package / f"_cmerge{suffix}"
        try:
            self._compile(package, target)
        except Exception as e:  # noqa: BLE001 - the plain Python module still works
            print(
                f"cocrea: the compiled OCDS merge was not built ({e}); using merge.py",
                file=sys.stderr,
            )
            return
        if version != "editable":
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            build_data["artifacts"].append(str(target.relative_to(root)))

    def _compile(self, package: Path, target: Path) -> None:
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension

        with tempfile.TemporaryDirectory(prefix="cocrea-cmerge-") as work:
            copy = Path(work, "cocrea", "money", "ocds")
            copy.mkdir(parents=True)
            for part in (Path(work, "cocrea"), copy.parent, copy):
                (part / "__init__.py").touch()
            source = (package / "merge.py").read_text(encoding="utf-8")
            digest = source_digest(package)
            (copy / "_cmerge.py").write_text(
                f"{source}\n\nSOURCE_DIGEST = {digest!r}\n", encoding="utf-8"
            )
            shutil.copyfile(package / "merge.pxd", copy / "_cmerge.pxd")
            extension = Extension("cocrea.money.ocds._cmerge", [str(copy / "_cmerge.py")])
            modules = cythonize(
                [extension],
                compiler_directives={"language_level": 3},
                build_dir=str(Path(work, "c")),
                quiet=True,
            )
            distribution = Distribution({"ext_modules": modules, "script_name": "hatch_build.py"})
            build = distribution.get_command_obj("build_ext")
            build.build_temp = str(Path(work, "temp"))
            build.build_lib = str(Path(work, "lib"))
            distribution.run_command("build_ext")
            built = Path(build.get_ext_fullpath(extension.name))
            # A new file renamed over the old one: processes that have the old one loaded
            # keep it (writing into it would crash them).
            staged = target.with_name(f".{target.name}.{os.getpid()}")
            shutil.copyfile(built, staged)
            os.replace(staged, target)
