"""Local TradingView protocol simulator (development server)."""

from .config import SimulatorConfig
from .faults import Faults
from .server import Simulator
from .universe import SymbolSpec, load_universe

__all__ = ["Faults", "Simulator", "SimulatorConfig", "SymbolSpec", "load_universe"]
