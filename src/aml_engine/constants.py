"""Constants: the integer ids every term and atom is built from.

Why a manager: the embedding must hand out ids in a fixed order (pixel constants first,
then the class constant ``v``) so that models learned in different processes agree on what
each id means, and it must remember which ids carry a name.
"""
from __future__ import annotations


class ConstantManager:
    """Hands out constant ids ``0, 1, 2, ...`` and remembers optional names.

    >>> cm = ConstantManager()
    >>> cm.setNewConstantIndex(), cm.setNewConstantIndexWithName("v")
    (0, 1)
    >>> cm.getReversedNameDictionary()
    {1: 'v'}
    """

    def __init__(self) -> None:
        self.embeddingConstants = 0
        self._names: dict[str, int] = {}

    def setNewConstantIndex(self) -> int:
        """Create one unnamed constant and return its id."""
        new_id = self.embeddingConstants
        self.embeddingConstants += 1
        return new_id

    def setNewConstantIndexWithName(self, name: str) -> int:
        """Create one constant called ``name`` and return its id; names are unique."""
        if name in self._names:
            raise ValueError(f"constant name {name!r} is already id {self._names[name]}; "
                             f"names must be unique")
        new_id = self.setNewConstantIndex()
        self._names[name] = new_id
        return new_id

    def getConstantIndex(self, name: str) -> int:
        """Id of the constant called ``name``."""
        return self._names[name]

    def getReversedNameDictionary(self) -> dict[int, str]:
        """Map from constant id to name, for the named constants only."""
        return {index: name for name, index in self._names.items()}

    def getConstantSet(self) -> set[int]:
        """All constant ids handed out so far."""
        return set(range(self.embeddingConstants))

    def __len__(self) -> int:
        return self.embeddingConstants

    def to_dict(self) -> dict:
        """JSON-compatible description: the count and the named ids."""
        return {"count": self.embeddingConstants,
                "names": {name: index for name, index in sorted(self._names.items(), key=lambda kv: kv[1])}}

    @classmethod
    def from_dict(cls, data: dict) -> "ConstantManager":
        """Rebuild a manager written by :meth:`to_dict`."""
        manager = cls()
        manager.embeddingConstants = int(data["count"])
        manager._names = {str(name): int(index) for name, index in data["names"].items()}
        return manager
