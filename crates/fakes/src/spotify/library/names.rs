//! The words the sample library's names are made of, hostile ones included.

use super::{ARTIST_COUNT, HOSTILE_ARTIST_NAME};

pub(super) const ARTIST_NAMES: [&str; ARTIST_COUNT] = [
    "The Velvet Lanterns",
    HOSTILE_ARTIST_NAME,
    "Ö Quartet \"Live\"",
    "Nina Kelso",
    "DJ Ampersand & Co",
    "Los Hermanos Río",
    "Kaito Mori",
    "Björk-ish Choir",
    "Marcus O'Neill",
    "Electric Ghosts 👻",
    "Ada Lovetone",
    "The Semicolons",
    "Zanele Mbeki Trio",
    "Saudade Collective",
    "Ravi & The Ragas",
    "Lumen",
    "Grandmaster Flask",
    "Chopin's Ghost",
    "Nordlys",
    "Yuki Tanaka",
    "The Brass Tacks",
    "Mama Cumbia",
    "Static Bloom",
    "Jean-Luc Pocket",
    "Desert Owls",
    "Sister Rosetta's Heirs",
    "Kraftwagen",
    "Fela's Children",
    "Blue Note Drifters",
    "Orquesta Tres Tiempos",
];

pub(super) const GENRES: [&str; 8] = [
    "jazz",
    "indie rock",
    "afrobeat",
    "synth-pop",
    "bossa nova",
    "hip hop",
    "baroque",
    "shoegaze",
];

pub(super) const WORDS_A: [&str; 10] = [
    "Midnight", "Golden", "Electric", "Quiet", "Neon", "Paper", "Velvet", "Broken", "Silver",
    "Wild",
];
pub(super) const WORDS_B: [&str; 13] = [
    "Avenue",
    "Sunrise 🌅",
    "Heart",
    "River",
    "Machine",
    "Garden",
    "Echoes",
    "Satellite",
    "Waltz",
    "Harbor",
    "Static",
    "Letters",
    "Parade",
];
