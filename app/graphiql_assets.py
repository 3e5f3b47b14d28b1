"""GraphiQL's browser assets: which npm files the page needs, and `atlas graphiql-assets`.

The project commits no third-party JavaScript. This command fetches pinned releases of React,
ReactDOM and GraphiQL from the npm registry (``npm pack``, so npm's own registry settings,
proxy and cache apply), checks each tarball against the integrity hash pinned here, and copies
the few files the page loads into a folder the app serves (``ATLAS_GRAPHIQL_ASSETS``, default
``app/web/graphiql``). The Dockerfile runs the same command in its build stage.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

DEFAULT_ASSETS_DIR = Path(__file__).resolve().parent / "web" / "graphiql"
VERSIONS_FILE = "versions.json"


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm release and the sha512 integrity npm publishes for its tarball."""

    name: str
    version: str
    integrity: str

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class Asset:
    """A file the GraphiQL page loads: its name in the assets folder and where npm has it."""

    filename: str
    package: NpmPackage
    path: str  # inside the package tarball, below its top folder "package/"

    @property
    def cdn_url(self) -> str:
        """The same file on unpkg, for installs whose assets folder was never filled."""
        return f"https://unpkg.com/{self.package.spec}/{self.path}"


# GraphiQL 3.x ships a UMD bundle that expects React 18 as the globals React and ReactDOM.
REACT = NpmPackage(
    "react",
    "18.3.1",
    "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
)
REACT_DOM = NpmPackage(
    "react-dom",
    "18.3.1",
    "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
)
GRAPHIQL = NpmPackage(
    "graphiql",
    "3.8.3",
    "sha512-cuPDYtXVKV86Pu5PHBX642Odi/uVEE2y1Jxq5rGO/Qy1G2lRp7ZZ7a/T30RzxhuLSWo9zUbzq0P3U49//H0Ugw==",
)
PACKAGES = (REACT, REACT_DOM, GRAPHIQL)

# Load order matters: GraphiQL's bundle reads window.React and window.ReactDOM when it runs.
SCRIPTS = (
    Asset("react.production.min.js", REACT, "umd/react.production.min.js"),
    Asset("react-dom.production.min.js", REACT_DOM, "umd/react-dom.production.min.js"),
    Asset("graphiql.min.js", GRAPHIQL, "graphiql.min.js"),
)
STYLESHEETS = (Asset("graphiql.min.css", GRAPHIQL, "graphiql.min.css"),)
# Redistributing the files (in a Docker image, say) must carry their licences along.
LICENCES = tuple(Asset(f"{package.name}.LICENSE", package, "LICENSE") for package in PACKAGES)
ASSETS = SCRIPTS + STYLESHEETS + LICENCES


class AssetsError(Exception):
    """Fetching or unpacking the GraphiQL assets failed; the message says why."""


def missing_assets(folder: Path) -> list[str]:
    """Names of the page's scripts and stylesheets that ``folder`` lacks (all when absent)."""
    return [
        asset.filename for asset in SCRIPTS + STYLESHEETS if not (folder / asset.filename).is_file()
    ]


def integrity_of(tarball: Path) -> str:
    """The tarball's hash in npm's Subresource Integrity form (``sha512-<base64>``)."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def install_from_tarballs(
    tarballs: dict[NpmPackage, Path], dest: Path, assets: tuple[Asset, ...] = ASSETS
) -> list[Path]:
    """Check each tarball against its pinned hash and copy the assets' files into ``dest``.

    Files are staged beside their final names and renamed only once all of them are out, so a
    failure leaves an existing folder as it was rather than half-updated.
    """
    packages = list(dict.fromkeys(asset.package for asset in assets))
    for package in packages:
        tarball = tarballs.get(package)
        if tarball is None:
            raise AssetsError(f"no tarball for {package.spec}")
        if integrity_of(tarball) != package.integrity:
            raise AssetsError(
                f"{tarball.name} does not match the integrity pinned for {package.spec}; "
                "the registry served other bytes than the release we pinned"
            )
    dest.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for asset in assets:
            partial = dest / f".{asset.filename}.partial"
            staged.append((partial, dest / asset.filename))
            _extract(tarballs[asset.package], asset, partial)
    except BaseException:
        for partial, _ in staged:
            partial.unlink(missing_ok=True)
        raise
    for partial, final in staged:
        partial.replace(final)
    versions = {package.name: package.version for package in packages}
    (dest / VERSIONS_FILE).write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return [final for _, final in staged]


def _extract(tarball: Path, asset: Asset, target: Path) -> None:
    # Read the one member by name: nothing else in the archive touches the disk.
    with tarfile.open(tarball, "r:gz") as archive:
        try:
            member = archive.extractfile(f"package/{asset.path}")
        except KeyError:
            member = None
        if member is None:
            raise AssetsError(f"{asset.package.spec} has no file {asset.path}")
        with member, target.open("wb") as out:
            shutil.copyfileobj(member, out)


def npm_pack(
    packages: tuple[NpmPackage, ...], workdir: Path, npm: str = "npm"
) -> dict[NpmPackage, Path]:
    """Download the packages' tarballs from the npm registry into ``workdir``."""
    if shutil.which(npm) is None:
        raise AssetsError(f"`{npm}` was not found on PATH; install Node.js and npm, or pass --npm")
    command = [
        npm,
        "pack",
        "--json",
        "--pack-destination",
        str(workdir),
        *(package.spec for package in packages),
    ]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AssetsError(f"`{' '.join(command)}` failed:\n{result.stderr.strip()}")
    try:
        packed = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise AssetsError(
            f"`npm pack --json` printed no JSON ({exc}): {result.stdout[:200]!r}"
        ) from None
    by_id = {f"{entry['name']}@{entry['version']}": workdir / entry["filename"] for entry in packed}
    return {package: by_id[package.spec] for package in packages if package.spec in by_id}


def fetch_assets(dest: Path, npm: str = "npm") -> list[Path]:
    """Fetch the pinned packages with npm and install the page's files into ``dest``."""
    with tempfile.TemporaryDirectory(prefix="atlas-graphiql-") as workdir:
        tarballs = npm_pack(PACKAGES, Path(workdir), npm=npm)
        return install_from_tarballs(tarballs, dest)


def graphiql_assets(
    dest: Annotated[
        Path,
        typer.Option(help="Folder to fill; point ATLAS_GRAPHIQL_ASSETS at it if not the default."),
    ] = DEFAULT_ASSETS_DIR,
    npm: Annotated[str, typer.Option(help="The npm executable to run.")] = "npm",
) -> None:
    """Fetch GraphiQL, React and ReactDOM from the npm registry so GraphiQL works offline."""
    specs = ", ".join(package.spec for package in PACKAGES)
    typer.echo(f"Fetching {specs} from the npm registry ...", err=True)
    try:
        written = fetch_assets(dest, npm=npm)
    except (AssetsError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {len(written)} files to {dest}.", err=True)
    if dest.resolve() != DEFAULT_ASSETS_DIR:
        typer.echo(f"Serve them with ATLAS_GRAPHIQL_ASSETS={dest.resolve()}", err=True)
