"""The live generation of the bars model: what the API reads and the projection writes.

A rebuild fills another generation and then `swap`s it in: one attribute assignment,
so every request and batch sees either the old generation or the new one, whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from ..ports import BarModelReader, BarModelWriter, ReadModels

U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class BarModelGeneration(Generic[U]):
    generation: int
    reader: BarModelReader
    writer: BarModelWriter[U]


class LiveBarModel(Generic[U]):
    def __init__(self, models: ReadModels[U], generation: int) -> None:
        self._models = models
        self.current = self.at(generation)

    def at(self, generation: int) -> BarModelGeneration[U]:
        m = self._models
        return BarModelGeneration(generation, m.bar_reader(generation), m.bar_writer(generation))

    def writer(self) -> BarModelWriter[U]:
        return self.current.writer

    def swap(self, generation: int) -> None:
        self.current = self.at(generation)
