"""Where the warehouse lives: a local folder or an object store URI (s3://bucket/prefix), via pyarrow's filesystems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.fs as pafs

from warta.paths import warehouse_root


@dataclass(frozen=True)
class Location:
    """A filesystem and the base path of the warehouse inside it."""

    fs: pafs.FileSystem
    base: str
    local: bool

    def join(self, *parts: str) -> str:
        """A path under the warehouse root."""
        return "/".join([self.base.rstrip("/"), *[p.strip("/") for p in parts if p]])

    def exists(self, path: str) -> bool:
        """True when a file is there."""
        return self.fs.get_file_info(path).type == pafs.FileType.File

    def files(self, *parts: str) -> list[str]:
        """Every file below a folder of the warehouse, sorted (none when the folder is absent)."""
        selector = pafs.FileSelector(self.join(*parts), recursive=True, allow_not_found=True)
        return sorted(info.path for info in self.fs.get_file_info(selector) if info.type == pafs.FileType.File)

    def sub(self, name: str) -> Location:
        """The same filesystem rooted at a folder below this one (e.g. _staging)."""
        return Location(self.fs, self.join(name), self.local)

    def replace_file(self, path: str, table) -> str:
        """Write a whole Parquet file in place of the old one, atomically (temp name + rename; an upload is atomic)."""
        import pyarrow.parquet as pq

        folder, name = path.rsplit("/", 1)
        self.fs.create_dir(folder, recursive=True)
        tmp = f"{folder}/.tmp-{name}" if self.local else path
        pq.write_table(table, tmp, filesystem=self.fs, compression="zstd", row_group_size=50_000)
        if tmp != path:
            self.fs.move(tmp, path)
        return path

    def uri(self, path: str) -> str:
        """A path a person (or DuckDB) can use: a local path, or s3://bucket/key."""
        return path if self.local else f"s3://{path}"


def resolve(root: str | Path | Location | None = None) -> Location:
    """The warehouse location for a root (default $WARTA_WAREHOUSE or data/warehouse); URIs go to pyarrow."""
    if isinstance(root, Location):
        return root
    root = str(root) if root is not None else str(warehouse_root())
    if "://" in root:
        fs, base = pafs.FileSystem.from_uri(root)
        return Location(fs, base, isinstance(fs, pafs.LocalFileSystem))
    return Location(pafs.LocalFileSystem(), str(Path(root).resolve()), True)
