"""Draw each peer's test accuracy alone and after every round, beside the centralized model.

Why a picture: the demo's table says the same, but a line per peer rising towards the dashed
centralized level shows at a glance what collaboration bought each peer and when.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 150, 40, 50
COLOURS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127)]
TEXT, GRID = (20, 20, 20), (215, 215, 215)


def draw_rounds(peers: list[list[float]], central: float, path: Path, title: str) -> None:
    """``peers[i]`` = accuracies (0..1) of peer i: alone, then after each round; ``central`` the reference."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=13)
    steps = max(len(accuracies) for accuracies in peers)
    values = [a for accuracies in peers for a in accuracies] + [central]
    low = max(0.0, min(values) - 0.02)
    high = min(1.0, max(values) + 0.01)

    def x(step: int) -> float:
        return LEFT + step * (WIDTH - LEFT - RIGHT) / max(steps - 1, 1)

    def y(accuracy: float) -> float:
        return TOP + (high - accuracy) * (HEIGHT - TOP - BOTTOM) / (high - low)

    draw.text((LEFT, 12), title, font=font, fill=TEXT)
    for tick in range(11):
        level = low + tick * (high - low) / 10
        draw.line([(LEFT, y(level)), (WIDTH - RIGHT, y(level))], fill=GRID)
        draw.text((8, y(level) - 7), f"{100 * level:.1f} %", font=font, fill=TEXT)
    for step in range(steps):
        draw.text((x(step) - 20, HEIGHT - BOTTOM + 10), "alone" if step == 0 else f"round {step}", font=font, fill=TEXT)
    for start in range(LEFT, WIDTH - RIGHT, 12):
        draw.line([(start, y(central)), (min(start + 6, WIDTH - RIGHT), y(central))], fill=TEXT, width=2)
    draw.text((LEFT + 6, y(central) - 17), f"centralized {100 * central:.2f} %", font=font, fill=TEXT)
    for index, accuracies in enumerate(peers):
        colour = COLOURS[index % len(COLOURS)]
        points = [(x(step), y(accuracy)) for step, accuracy in enumerate(accuracies)]
        draw.line(points, fill=colour, width=3)
        for px, py in points:
            draw.ellipse([px - 4, py - 4, px + 4, py + 4], fill=colour)
        draw.text((WIDTH - RIGHT + 10, TOP + 18 * index), f"peer {index}: {100 * accuracies[-1]:.2f} %",
                  font=font, fill=colour)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
