"""Draw the ten-digit confusion matrix with its counts, and some test images it got wrong.

Why a picture: the report's 10 x 10 numbers say which digits are confused; the picture lets a
reader see it at a glance (shade = share of the true digit's images) and see what the
misread images look like.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

CELL = 46
MARGIN = 70
THUMB = 56
THUMBS_PER_ROW = 10
BACKGROUND, TEXT, GRID = (255, 255, 255), (20, 20, 20), (200, 200, 200)
RIGHT, WRONG = np.array([40, 140, 60]), np.array([200, 50, 40])


def _shade(colour: np.ndarray, share: float) -> tuple[int, int, int]:
    """``colour`` blended with white: share 0 is white, share 1 is the full colour."""
    strength = 0.0 if share <= 0 else 0.15 + 0.85 * min(share, 1.0)
    return tuple(int(v) for v in 255 - strength * (255 - colour))


def _centered(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str, font, fill=TEXT) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (box[0] + box[2] - (right - left)) // 2 - left
    y = (box[1] + box[3] - (bottom - top)) // 2 - top
    draw.text((x, y), text, font=font, fill=fill)


def draw_confusion(confusion: np.ndarray, wrong_images: np.ndarray, wrong_true: np.ndarray,
                   wrong_predicted: np.ndarray, path: Path) -> None:
    """Save the matrix (row = true digit, column = predicted) above up to 20 misread images."""
    confusion = np.asarray(confusion)
    n = len(confusion)
    shown = min(len(wrong_images), 2 * THUMBS_PER_ROW)
    thumb_rows = -(-shown // THUMBS_PER_ROW)
    width = max(MARGIN + n * CELL + 20, THUMBS_PER_ROW * (THUMB + 8) + 20)
    height = MARGIN + n * CELL + 50 + thumb_rows * (THUMB + 26)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font, small = ImageFont.load_default(size=15), ImageFont.load_default(size=12)
    accuracy = np.trace(confusion) / max(confusion.sum(), 1)
    draw.text((10, 8), f"ten-digit test accuracy {100 * accuracy:.2f} % of {confusion.sum():,} images",
              font=font, fill=TEXT)
    _centered(draw, (MARGIN, 30, MARGIN + n * CELL, 48), "predicted digit", small)
    draw.text((4, MARGIN - 16), "true", font=small, fill=TEXT)
    totals = np.maximum(confusion.sum(axis=1), 1)
    for row in range(n):
        top = MARGIN + row * CELL
        _centered(draw, (MARGIN - 30, top, MARGIN, top + CELL), str(row), font)
        _centered(draw, (MARGIN + row * CELL, MARGIN - 22, MARGIN + (row + 1) * CELL, MARGIN), str(row), font)
        for column in range(n):
            left = MARGIN + column * CELL
            count = int(confusion[row, column])
            share = count / totals[row] if row == column else min(1.0, 20 * count / totals[row])
            box = (left, top, left + CELL, top + CELL)
            draw.rectangle(box, fill=_shade(RIGHT if row == column else WRONG, share), outline=GRID)
            if count:
                _centered(draw, box, str(count), small if count >= 1000 else font,
                          fill=BACKGROUND if share > 0.6 else TEXT)
    caption_top = MARGIN + n * CELL + 16
    draw.text((10, caption_top), "misread test images (true -> predicted):" if shown else "no misread test images",
              font=small, fill=TEXT)
    for index in range(shown):
        left = 10 + (index % THUMBS_PER_ROW) * (THUMB + 8)
        top = caption_top + 20 + (index // THUMBS_PER_ROW) * (THUMB + 26)
        picture = Image.fromarray(255 - np.asarray(wrong_images[index], dtype=np.uint8).reshape(28, 28))
        image.paste(picture.resize((THUMB, THUMB), Image.NEAREST), (left, top))
        _centered(draw, (left, top + THUMB, left + THUMB, top + THUMB + 18),
                  f"{wrong_true[index]} -> {wrong_predicted[index]}", small)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
