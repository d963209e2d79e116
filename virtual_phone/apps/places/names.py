"""Name pools and review phrases the seeded places are drawn from (disjoint pools, so
every drawn name is unique)."""

from __future__ import annotations

RESTAURANTS: dict[str, tuple[str, ...]] = {
    "Italian": (
        "Trattoria Bella",
        "Luigi's Kitchen",
        "Pasta Fresca",
        "Il Forno",
        "Osteria del Ponte",
        "Casa Roma",
    ),
    "Japanese": (
        "Sakura Sushi",
        "Ramen Ya",
        "Kyoto Garden",
        "Izakaya Hana",
        "Tokyo Table",
        "Umami House",
    ),
    "Mexican": (
        "El Nopal",
        "Taquería Sol",
        "Casa Oaxaca",
        "La Cantina",
        "Burrito Loco",
        "Mercado Verde",
    ),
    "Indian": (
        "Spice Route",
        "Tandoor Palace",
        "Masala Art",
        "Curry Leaf",
        "Bombay Brasserie",
        "Saffron House",
    ),
    "Thai": (
        "Bangkok Street",
        "Thai Orchid",
        "Lemongrass",
        "Siam Kitchen",
        "Baan Thai",
        "Chili & Basil",
    ),
    "French": (
        "Chez Marcel",
        "La Belle Époque",
        "Le Comptoir",
        "Brasserie Lumière",
        "Maison Blanche",
        "Le Petit Bistro",
    ),
    "Vegetarian": (
        "Green Leaf",
        "The Sprout",
        "Garden Table",
        "Roots & Greens",
        "Plant Power Kitchen",
        "Veggie Delight",
    ),
    "Chinese": (
        "Golden Dragon",
        "Jade Palace",
        "Dim Sum House",
        "Sichuan Garden",
        "Lucky Noodle",
        "Peking Duck House",
    ),
}

OTHERS: dict[str, tuple[str, ...]] = {
    "Café": (
        "Bean There",
        "The Daily Grind",
        "Café Aroma",
        "Espresso Lane",
        "Morning Brew",
        "Cup & Saucer",
        "The Coffee Corner",
        "Latte Lounge",
        "Brew Lab",
        "Café Central",
        "Steam & Beans",
        "Little Roastery",
    ),
    "Museum": (
        "City Museum of Art",
        "Natural History Museum",
        "Science Discovery Center",
        "Maritime Museum",
        "Museum of Modern Design",
        "Railway Heritage Museum",
        "Photography Gallery",
        "Toy Museum",
        "History House Museum",
    ),
    "Park": (
        "Riverside Park",
        "Oak Hill Park",
        "Central Gardens",
        "Lakeside Park",
        "Botanic Garden",
        "Willow Green",
        "Sunset Point",
        "Meadow Park",
        "Harbor Park",
    ),
    "Pharmacy": (
        "CityCare Pharmacy",
        "Green Cross Pharmacy",
        "HealthPlus Pharmacy",
        "Main Street Pharmacy",
        "Corner Drugstore",
        "Family Pharmacy",
        "MediQuick",
    ),
    "Hotel": (
        "Grand Plaza Hotel",
        "The Harbor Inn",
        "Park View Hotel",
        "Hotel Aurora",
        "The Station Hotel",
        "Riverside Suites",
        "Maple Lodge",
        "The Regent",
        "City Budget Inn",
    ),
    "Train station": ("Central Station", "North Station", "Union Station"),
    "Airport": ("City International Airport", "Riverside Airport"),
}

STREETS = (
    "Market Street",
    "Oak Avenue",
    "Harbor Road",
    "King Street",
    "Elm Street",
    "Station Road",
    "Park Lane",
    "Mill Street",
    "Bridge Street",
    "Church Road",
    "Victoria Avenue",
    "High Street",
)

AUTHORS = (
    "Alex M.",
    "Priya S.",
    "Tom B.",
    "Mei L.",
    "Jonas K.",
    "Sara P.",
    "Diego R.",
    "Hannah W.",
    "Omar F.",
    "Lucy T.",
    "Kenji N.",
    "Fatima A.",
)

# what reviewers praise or criticise, by category
SUBJECTS = {
    "Restaurant": "food",
    "Café": "coffee",
    "Museum": "exhibitions",
    "Park": "walks",
    "Pharmacy": "service",
    "Hotel": "rooms",
    "Train station": "connections",
    "Airport": "facilities",
}

# review texts by number of stars; {subject} is filled in
REVIEW_TEXTS = {
    5: (
        "Outstanding {subject}, we will be back!",
        "Best {subject} in town, highly recommended.",
        "Perfect in every way.",
    ),
    4: (
        "Very good {subject} and friendly staff.",
        "Lovely place with great {subject}.",
        "Really nice, a few small hiccups.",
    ),
    3: (
        "Decent {subject} but nothing special.",
        "Okay overall; busy at peak times.",
        "Average experience, fair enough.",
    ),
    2: (
        "Disappointing {subject} for the price.",
        "Long waits and mediocre {subject}.",
        "Not great, expected more.",
    ),
    1: (
        "Terrible {subject}, would not return.",
        "Rude staff and poor {subject}.",
        "Avoid if you can.",
    ),
}
