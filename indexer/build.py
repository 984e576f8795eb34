"""Build and update an index directory from report files (placeholder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class IndexSummary:
    """What one index run did."""

    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the terminal, then one line per failure."""
        lines = [
            f"indexed {self.indexed}, unchanged {self.unchanged}, "
            f"removed {self.removed}, failed {len(self.failed)}"
        ]
        lines += [f"  failed: {path}: {reason}" for path, reason in self.failed]
        return "\n".join(lines)


def run_index(
    paths: list[Path], index_dir: Path, rebuild: bool = False, progress: bool = True
) -> IndexSummary:
    """Index files and folders into ``index_dir``."""
    raise NotImplementedError
