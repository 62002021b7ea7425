//! The check-in code as a QR code, drawn as one SVG path: the `qrcode` crate encodes, and each
//! row's runs of dark modules become rectangles (its own SVG renderer writes one per module).

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// The light margin readers need around the symbol, in modules (ISO/IEC 18004).
const QUIET_ZONE: usize = 4;

/// The symbol's side including the quiet zone, in modules, and the path of its dark modules in
/// those units. `None` if the text cannot be encoded (never for 6 digits).
pub fn qr_path(text: &str) -> Option<(usize, String)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Light {
                x += 1;
                continue;
            }
            let from = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - from;
            let _ = write!(
                path,
                "M{} {}h{run}v1h-{run}z",
                from + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
    }
    Some((width + 2 * QUIET_ZONE, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_fit_the_smallest_symbol() {
        let (side, path) = qr_path("004127").unwrap();
        // Version 1 is 21 modules wide; the finder pattern's top row is 7 dark modules.
        assert_eq!(side, 21 + 8);
        assert!(path.starts_with("M4 4h7v1h-7z"), "{path}");
        // Different codes draw different symbols.
        assert_ne!(qr_path("004128").unwrap().1, path);
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let code = QrCode::with_error_correction_level(b"731904", EcLevel::M).unwrap();
        let width = code.width();
        let (side, path) = qr_path("731904").unwrap();
        let mut drawn = vec![false; side * side];
        for rect in path.split('z').filter(|r| !r.is_empty()) {
            // M{x} {y}h{run}v1h-{run}
            let numbers: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let [x, y, run, one, back] = numbers[..] else {
                panic!("{rect}")
            };
            assert_eq!((one, back), (1, run));
            for cell in &mut drawn[y * side + x..y * side + x + run] {
                assert!(!*cell, "drawn twice");
                *cell = true;
            }
        }
        for (i, color) in code.to_colors().into_iter().enumerate() {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            assert_eq!(drawn[y * side + x], color == Color::Dark, "module {x},{y}");
        }
        let dark = drawn.iter().filter(|d| **d).count();
        assert_eq!(
            dark,
            code.to_colors()
                .iter()
                .filter(|c| **c == Color::Dark)
                .count()
        );
    }
}
