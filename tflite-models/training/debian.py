"""Fetch pinned Debian packages, extract the needed members, read their licences.

Only ``apt-get download`` and ``dpkg-deb`` are used: no maintainer scripts run and no
dependencies are installed. Downloads are cached in ``<out>/debs`` and verified against
the SHA256 pinned in :mod:`training.sources`; an extraction is reused when its stamp file
names the same SHA256.
"""

from __future__ import annotations

import fnmatch
import hashlib
import pathlib
import re
import subprocess

from .sources import Package


def deb_filename(package: Package) -> str:
    """The file name apt-get download writes (an epoch colon becomes %3a)."""
    return f"{package.name}_{package.version.replace(':', '%3a')}_all.deb"


def sha256_of(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(package: Package, debs_dir: pathlib.Path) -> pathlib.Path:
    """Download ``package`` at its pinned version unless a verified copy is cached."""
    debs_dir.mkdir(parents=True, exist_ok=True)
    deb = debs_dir / deb_filename(package)
    if not deb.exists() or sha256_of(deb) != package.sha256:
        deb.unlink(missing_ok=True)
        subprocess.run(["apt-get", "download", f"{package.name}={package.version}"],
                       cwd=debs_dir, check=True)
    actual = sha256_of(deb)
    if actual != package.sha256:
        raise RuntimeError(f"{deb}: sha256={actual} but pinned sha256={package.sha256}")
    return deb


def extract(package: Package, deb: pathlib.Path, root: pathlib.Path) -> pathlib.Path:
    """Extract the pinned members of ``deb`` into ``root/<package>``; return that folder."""
    dest = root / package.name
    stamp = dest / ".extracted"
    if stamp.exists() and stamp.read_text().strip() == package.sha256:
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    tar_stream = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest), "--wildcards", *package.extract],
                   stdin=tar_stream.stdout, check=True)
    tar_stream.stdout.close()
    if tar_stream.wait() != 0:
        raise RuntimeError(f"dpkg-deb --fsys-tarfile {deb} exited with {tar_stream.returncode}")
    stamp.write_text(package.sha256 + "\n")
    return dest


def _same_literal_file(pattern: str, installed_path: str) -> bool:
    """A wildcard-free pattern names one source file; packages often install it under
    another folder (sonic-pi: ``etc/samples/x.flac`` -> ``/usr/share/sonic-pi/samples/x.flac``),
    so a literal pattern also matches by file name."""
    if any(c in pattern for c in "*?["):
        return False
    return pattern.rsplit("/", 1)[-1] == installed_path.rsplit("/", 1)[-1]


class CopyrightFile:
    """Licence lookup in a package's ``/usr/share/doc/PKG/copyright``.

    For machine-readable (DEP-5) files the last ``Files:`` stanza whose pattern matches the
    end of the installed path (or, for a literal pattern, its file name) wins, as DEP-5
    prescribes; ``debian/*`` stanzas are ignored.
    Source-tree patterns rarely match installed paths, so most clips fall back to the
    ``Files: *`` stanza. Free-form files are reduced to the GPL version they state.
    """

    def __init__(self, text: str):
        self.text = text
        self.stanzas: list[tuple[list[str], str]] = []
        self.machine_readable = text.startswith("Format:")
        if self.machine_readable:
            for block in re.split(r"\n\s*\n", text):
                files = re.search(r"^Files:(.*(?:\n[ \t].*)*)", block, re.MULTILINE)
                licence = re.search(r"^License:[ \t]*(.+)$", block, re.MULTILINE)
                if files and licence:
                    patterns = files.group(1).split()
                    if not all(p.startswith("debian/") for p in patterns):
                        self.stanzas.append((patterns, licence.group(1).strip()))

    @classmethod
    def of(cls, package_root: pathlib.Path, package_name: str) -> "CopyrightFile":
        path = package_root / "usr/share/doc" / package_name / "copyright"
        return cls(path.read_text(encoding="utf-8", errors="replace"))

    def licence_for(self, installed_path: str) -> str:
        """The licence name recorded for ``installed_path`` with how it was found."""
        if not self.machine_readable:
            m = re.search(r"GNU General Public License[^.]*?version (\d)", self.text, re.DOTALL)
            return f"GPL-{m.group(1)} (free-form copyright file)" if m else "see copyright file"
        found = None
        for patterns, licence in self.stanzas:
            for pattern in patterns:
                if pattern == "*" or fnmatch.fnmatchcase(installed_path, "*/" + pattern) \
                        or fnmatch.fnmatchcase(installed_path, pattern) or _same_literal_file(pattern, installed_path):
                    found = (pattern, licence)
        if found is None:
            return "see copyright file"
        return f"{found[1]} (Files: {found[0]})"
