"""Draw learned atoms as 28 x 28 pictures, so a reader can see what a model attends to.

An atom's upper constant segment holds "pixel j is ink" constants (j) and "pixel j is
background" constants (784 + j). Each pixel gets one of four colours: ink only, background
only, both, or neither.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

SIDE = 28
PIXELS = SIDE * SIDE
INK, BACKGROUND, BOTH, NEITHER = (20, 20, 20), (235, 200, 60), (200, 40, 40), (255, 255, 255)
GAP = (150, 150, 150)


def atom_picture(ucs) -> np.ndarray:
    """RGB array (28 x 28 x 3) of one atom's constants."""
    constants = np.fromiter((c for c in ucs if c < 2 * PIXELS), dtype=np.int64)
    ink = np.zeros(PIXELS, dtype=bool)
    background = np.zeros(PIXELS, dtype=bool)
    ink[constants[constants < PIXELS]] = True
    background[constants[constants >= PIXELS] - PIXELS] = True
    picture = np.empty((PIXELS, 3), dtype=np.uint8)
    picture[:] = NEITHER
    picture[ink & ~background] = INK
    picture[background & ~ink] = BACKGROUND
    picture[ink & background] = BOTH
    return picture.reshape(SIDE, SIDE, 3)


def draw_atoms(atoms_ucs: list, path: Path, max_atoms: int = 100, scale: int = 3) -> int:
    """Save a grid of up to ``max_atoms`` atoms (the largest first) as PNG; return how many."""
    chosen = sorted(atoms_ucs, key=lambda ucs: (-len(ucs), list(ucs)))[:max_atoms]
    columns = max(1, math.ceil(math.sqrt(len(chosen))))
    rows = max(1, math.ceil(len(chosen) / columns))
    cell = SIDE + 2
    sheet = np.empty((rows * cell, columns * cell, 3), dtype=np.uint8)
    sheet[:] = GAP
    for index, ucs in enumerate(chosen):
        top, left = (index // columns) * cell + 1, (index % columns) * cell + 1
        sheet[top:top + SIDE, left:left + SIDE] = atom_picture(ucs)
    image = Image.fromarray(sheet).resize((sheet.shape[1] * scale, sheet.shape[0] * scale), Image.NEAREST)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return len(chosen)
