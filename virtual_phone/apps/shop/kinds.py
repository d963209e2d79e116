"""The kinds of products the Shop sells: brands, models, the key attribute, price range."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (
    "Kitchen",
    "Electronics",
    "Home & Living",
    "Books",
    "Sports",
    "Toys",
    "Beauty",
    "Garden",
)

COLOURS = ("Black", "White", "Silver", "Red", "Sage green", "Navy")


@dataclass(frozen=True)
class Kind:
    """One kind of product. Its `count` products take distinct (brand, model) pairs; the
    key attribute's `values` are dealt out evenly, so each value has several products
    whenever `count` is at least twice their number."""

    category: str
    noun: str
    count: int
    price: tuple[int, int]  # dollars, lowest and highest
    key: str
    values: tuple[str, ...]
    brands: tuple[str, ...]
    models: tuple[str, ...]
    extra: tuple[str, tuple[str, ...]] = ("Colour", COLOURS)
    name_format: str = "{brand} {model} {noun}, {value}"


_KITCHEN = ("Vortexa", "Kitchora", "Cuisiva", "Hearthline", "Zestro")
_ELECTRONICS = ("Sonora", "Voltix", "Auralis", "Nimbus", "Kestrel")
_HOME = ("Lumina", "NestWell", "Oakridge", "Softhaus")
_AUTHORS = (
    "Mara Quinn",
    "Theo Blackwood",
    "Ines Calder",
    "Rowan Pike",
    "June Alvarez",
    "Samir Haddad",
)
_SPORTS = ("Stridex", "PeakForm", "Aquaflow", "CoreFit")
_TOYS = ("Brickwell", "PlayNest", "Wonderkit", "Tumblebee")
_BEAUTY = ("Lumiskin", "Velvia", "PureLeaf", "Aurelle")
_GARDEN = ("GreenThumb", "Terrace", "Bloomfield", "Rootwise")
_MATERIALS = ("Steel", "Aluminium", "Recycled plastic", "Rubber")

KINDS: tuple[Kind, ...] = (
    Kind(
        "Kitchen",
        "Air Fryer",
        6,
        (49, 219),
        "Capacity",
        ("4 qt", "6 qt", "8 qt"),
        _KITCHEN,
        ("CrispMax", "AirChef", "TurboCrisp", "DuoBasket"),
    ),
    Kind(
        "Kitchen",
        "Coffee Maker",
        4,
        (29, 189),
        "Capacity",
        ("4 cup", "10 cup", "12 cup"),
        _KITCHEN,
        ("BrewStation", "Morning", "Drip Classic"),
    ),
    Kind(
        "Kitchen",
        "Blender",
        4,
        (39, 249),
        "Power",
        ("600 W", "900 W", "1200 W"),
        _KITCHEN,
        ("PowerBlend", "NutriPro", "SmoothFlow"),
    ),
    Kind(
        "Electronics",
        "Headphones",
        7,
        (15, 209),
        "Type",
        ("Over-ear", "In-ear", "On-ear"),
        _ELECTRONICS,
        ("Pulse", "Echo", "Studio", "Halo"),
        name_format="{brand} {model} {value} {noun}",
    ),
    Kind(
        "Electronics",
        "USB-C Charger",
        4,
        (12, 79),
        "Power",
        ("20 W", "30 W", "65 W", "100 W"),
        _ELECTRONICS,
        ("FastCharge", "Volt", "Nano"),
    ),
    Kind(
        "Electronics",
        "Power Bank",
        3,
        (19, 99),
        "Capacity",
        ("10000 mAh", "20000 mAh"),
        _ELECTRONICS,
        ("Boost", "Endure", "Slim"),
    ),
    Kind(
        "Home & Living",
        "LED Desk Lamp",
        4,
        (18, 129),
        "Brightness",
        ("400 lm", "600 lm", "800 lm"),
        _HOME,
        ("Arc", "Beam", "Nova"),
    ),
    Kind(
        "Home & Living",
        "Throw Blanket",
        4,
        (22, 119),
        "Size",
        ("50 x 60 in", "60 x 80 in"),
        _HOME,
        ("Cloud", "Knit", "Fleece"),
    ),
    Kind(
        "Home & Living",
        "Storage Bins",
        4,
        (15, 69),
        "Pack",
        ("Set of 3", "Set of 6"),
        _HOME,
        ("Stack", "Fold", "Canvas"),
    ),
    Kind(
        "Books",
        "Novel",
        6,
        (9, 34),
        "Format",
        ("Paperback", "Hardcover"),
        _AUTHORS,
        ("The Quiet Harbour", "Salt and Ember", "A Map of Small Hours", "The Glass Orchard"),
        ("Pages", ("224", "288", "312", "356", "404", "448")),
        "{model} by {brand}, {value}",
    ),
    Kind(
        "Books",
        "Cookbook",
        3,
        (14, 44),
        "Format",
        ("Paperback", "Hardcover"),
        _AUTHORS,
        ("Weeknight Bowls", "The Bread Year"),
        ("Pages", ("192", "240", "276", "320")),
        "{model} by {brand}, {value}",
    ),
    Kind(
        "Books",
        "Travel Guide",
        3,
        (11, 29),
        "Format",
        ("Paperback", "Hardcover"),
        _AUTHORS,
        ("Lisbon on Foot", "The Alps by Rail"),
        ("Pages", ("160", "208", "256")),
        "{model} by {brand}, {value}",
    ),
    Kind(
        "Sports",
        "Yoga Mat",
        4,
        (16, 98),
        "Thickness",
        ("4 mm", "6 mm", "8 mm"),
        _SPORTS,
        ("Balance", "Grip", "Flow"),
    ),
    Kind(
        "Sports",
        "Dumbbell Pair",
        4,
        (24, 149),
        "Weight",
        ("10 lb", "15 lb", "25 lb"),
        _SPORTS,
        ("Iron", "Hex", "Grip"),
        ("Material", _MATERIALS),
    ),
    Kind(
        "Sports",
        "Water Bottle",
        4,
        (9, 45),
        "Capacity",
        ("24 oz", "32 oz"),
        _SPORTS,
        ("Summit", "Trail", "Chill"),
    ),
    Kind(
        "Toys",
        "Building Set",
        4,
        (19, 159),
        "Pieces",
        ("250 pieces", "500 pieces", "1000 pieces"),
        _TOYS,
        ("Space Port", "Castle", "City Tram"),
        ("Age", ("6+", "8+", "12+")),
    ),
    Kind(
        "Toys",
        "Jigsaw Puzzle",
        4,
        (12, 39),
        "Pieces",
        ("500 pieces", "1000 pieces"),
        _TOYS,
        ("Mountain Lake", "Night Market", "Old Harbour"),
        ("Age", ("10+", "12+", "14+")),
    ),
    Kind(
        "Toys",
        "Plush Toy",
        4,
        (11, 49),
        "Size",
        ("12 in", "18 in"),
        _TOYS,
        ("Cuddly Fox", "Sleepy Bear", "Little Owl"),
        ("Age", ("0+", "3+")),
    ),
    Kind(
        "Beauty",
        "Face Moisturiser",
        4,
        (12, 68),
        "Size",
        ("50 ml", "100 ml"),
        _BEAUTY,
        ("HydraDew", "Daily Calm", "Rich Repair"),
        ("Skin type", ("All", "Dry", "Oily", "Sensitive")),
    ),
    Kind(
        "Beauty",
        "Shampoo",
        4,
        (7, 32),
        "Size",
        ("250 ml", "500 ml"),
        _BEAUTY,
        ("Volume", "Repair", "Fresh Mint"),
        ("Hair type", ("All", "Dry", "Curly", "Fine")),
    ),
    Kind(
        "Beauty",
        "Hair Dryer",
        4,
        (24, 189),
        "Power",
        ("1600 W", "1875 W", "2000 W"),
        _BEAUTY,
        ("AirStyle", "Ionic", "Travel"),
    ),
    Kind(
        "Garden",
        "Garden Hose",
        4,
        (19, 99),
        "Length",
        ("25 ft", "50 ft", "100 ft"),
        _GARDEN,
        ("FlexiFlow", "KinkFree", "Pro"),
        ("Material", _MATERIALS),
    ),
    Kind(
        "Garden",
        "Pruning Shears",
        4,
        (11, 59),
        "Blade",
        ("Bypass", "Anvil"),
        _GARDEN,
        ("SharpCut", "Precision", "Everyday"),
        ("Material", _MATERIALS),
    ),
    Kind(
        "Garden",
        "Solar Path Lights",
        4,
        (17, 89),
        "Pack",
        ("Pack of 6", "Pack of 10"),
        _GARDEN,
        ("Glow", "Lantern", "Beacon"),
    ),
)
