"""What a page hands to its panels: language, data and its source, period, national average, registry."""

from __future__ import annotations

from dataclasses import dataclass

from components.data_source import DataSource
from monev import i18n
from monev.dataset import CoverageData
from monev.regions import Registry


@dataclass(frozen=True)
class PageContext:
    lang: str
    source: DataSource
    period: str
    national_rate: float
    registry: Registry

    @property
    def data(self) -> CoverageData:
        return self.source.data

    def t(self, key: str, /, **params: object) -> str:
        return i18n.t(key, self.lang, **params)
