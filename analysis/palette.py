"""The colours a theme may have: a fixed palette, each dark enough for white text on it and for a swatch to stand out
against white (at least 4.5:1), so no analyst can pick one that a reader cannot see. A colour is never the only way a
theme is told apart: its name is always shown beside it."""

# (key, label, hex). Keys are stored; labels are what staff choose from.
PALETTE = [
    ("blue", "Blue", "#1d70b8"),
    ("green", "Green", "#00703c"),
    ("red", "Red", "#d4351c"),
    ("purple", "Purple", "#4c2c92"),
    ("teal", "Teal", "#0b5b63"),
    ("pink", "Pink", "#912b88"),
    ("brown", "Brown", "#7a4a1e"),
    ("navy", "Navy", "#003078"),
    ("grey", "Dark grey", "#505a5f"),
    ("orange", "Dark orange", "#a33d00"),
]
HEX = {key: value for key, _, value in PALETTE}
CHOICES = [(key, label) for key, label, _ in PALETTE]
DEFAULT = "blue"


def hex_colour(key: str) -> str:
    return HEX.get(key, HEX[DEFAULT])


def contrast_with_white(hex_value: str) -> float:
    """The WCAG contrast ratio of a colour against white."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_value[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)
