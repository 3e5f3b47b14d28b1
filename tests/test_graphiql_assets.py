"""Installing GraphiQL's files from npm tarballs: pinned hashes, all-or-nothing copies.

The tarballs here are built by the tests in npm's layout (a top folder ``package/``), so these
tests need no network; `atlas graphiql-assets` itself runs against the registry in .ci/run.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from app.graphiql_assets import (
    ASSETS,
    PACKAGES,
    SCRIPTS,
    Asset,
    AssetsError,
    NpmPackage,
    install_from_tarballs,
    integrity_of,
    missing_assets,
)


def _tarball(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


@pytest.fixture
def widget(tmp_path: Path) -> tuple[NpmPackage, Path]:
    """A package tarball holding a UMD file and a licence, pinned to its own hash."""
    tarball = _tarball(
        tmp_path / "widget-1.0.0.tgz",
        {"umd/widget.js": b"window.Widget = 1;\n", "LICENSE": b"MIT\n"},
    )
    return NpmPackage("widget", "1.0.0", integrity_of(tarball)), tarball


def test_copies_the_named_files_and_records_versions(
    tmp_path: Path, widget: tuple[NpmPackage, Path]
) -> None:
    package, tarball = widget
    assets = (
        Asset("widget.js", package, "umd/widget.js"),
        Asset("widget.LICENSE", package, "LICENSE"),
    )
    dest = tmp_path / "out"
    written = install_from_tarballs({package: tarball}, dest, assets)
    assert written == [dest / "widget.js", dest / "widget.LICENSE"]
    assert (dest / "widget.js").read_bytes() == b"window.Widget = 1;\n"
    assert json.loads((dest / "versions.json").read_text()) == {"widget": "1.0.0"}
    assert sorted(p.name for p in dest.iterdir()) == [
        "versions.json",
        "widget.LICENSE",
        "widget.js",
    ]


def test_rejects_a_tarball_that_does_not_match_its_pin(
    tmp_path: Path, widget: tuple[NpmPackage, Path]
) -> None:
    package, _ = widget
    other = _tarball(tmp_path / "tampered.tgz", {"umd/widget.js": b"alert('pwned');\n"})
    dest = tmp_path / "out"
    with pytest.raises(
        AssetsError, match=re.escape("does not match the integrity pinned for widget@1.0.0")
    ):
        install_from_tarballs(
            {package: other}, dest, (Asset("widget.js", package, "umd/widget.js"),)
        )
    assert not dest.exists()


def test_a_missing_file_leaves_the_folder_as_it_was(
    tmp_path: Path, widget: tuple[NpmPackage, Path]
) -> None:
    package, tarball = widget
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "widget.js").write_text("old\n")
    assets = (
        Asset("widget.js", package, "umd/widget.js"),
        Asset("gone.js", package, "umd/gone.js"),
    )
    with pytest.raises(AssetsError, match=re.escape("widget@1.0.0 has no file umd/gone.js")):
        install_from_tarballs({package: tarball}, dest, assets)
    assert sorted(p.name for p in dest.iterdir()) == ["widget.js"]
    assert (dest / "widget.js").read_text() == "old\n"


def test_missing_tarball_is_named(tmp_path: Path, widget: tuple[NpmPackage, Path]) -> None:
    package, _ = widget
    with pytest.raises(AssetsError, match=re.escape("no tarball for widget@1.0.0")):
        install_from_tarballs({}, tmp_path, (Asset("widget.js", package, "umd/widget.js"),))


def test_pins_cover_every_asset_and_react_loads_first() -> None:
    assert {asset.package for asset in ASSETS} == set(PACKAGES)
    assert all(p.integrity.startswith("sha512-") for p in PACKAGES)
    assert [asset.package.name for asset in SCRIPTS] == ["react", "react-dom", "graphiql"]


def test_missing_assets_lists_what_the_page_needs(tmp_path: Path) -> None:
    assert missing_assets(tmp_path / "absent") == [a.filename for a in SCRIPTS] + [
        "graphiql.min.css"
    ]


def test_dockerfile_serves_the_folder_its_build_stage_fills() -> None:
    dockerfile = (Path(__file__).resolve().parents[1] / "Dockerfile").read_text(encoding="utf-8")
    filled = re.search(r"atlas graphiql-assets --dest (\S+)", dockerfile)
    served = re.search(r"ATLAS_GRAPHIQL_ASSETS=(\S+)", dockerfile)
    assert filled and served
    assert filled.group(1) == served.group(1)
    assert f"COPY --from=build {filled.group(1)} " in dockerfile
