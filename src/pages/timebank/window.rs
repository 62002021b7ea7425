//! Which rows of a long list of equal-height rows to put in the page: the ones in the scroll
//! box, plus a few either side, so that a statement of 10,000 lines costs the page what one of 20
//! does.

/// Rows `start..end` of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
}

/// The rows seen through a box `viewport` pixels tall scrolled `scroll_top` pixels down a list
/// of `len` rows `row` pixels tall, widened by `overscan` rows each side: a fast scroll then
/// shows rows already drawn rather than blank space until the next frame. Whole pixels, as the
/// DOM reports them.
pub fn visible(scroll_top: i32, viewport: i32, row: i32, len: usize, overscan: usize) -> Window {
    let (Ok(top), Ok(seen), Ok(row)) = (
        usize::try_from(scroll_top.max(0)),
        usize::try_from(viewport.max(0)),
        usize::try_from(row),
    ) else {
        return Window { start: 0, end: 0 };
    };
    if len == 0 || row == 0 {
        return Window { start: 0, end: 0 };
    }
    let first = (top / row).min(len - 1);
    // The rows the box shows, one of them perhaps cut at each edge.
    let seen = seen.div_ceil(row) + 1;
    Window {
        start: first.saturating_sub(overscan),
        end: first.saturating_add(seen).saturating_add(overscan).min(len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_of_a_long_list_draws_one_screen_and_the_overscan() {
        assert_eq!(visible(0, 400, 68, 10_000, 5), Window { start: 0, end: 12 });
    }

    #[test]
    fn the_middle_and_the_end_draw_only_what_is_near() {
        // Row 100 at the top of the box: 5 rows before it, 6 seen plus one partly, 5 after.
        assert_eq!(
            visible(6_800, 400, 68, 10_000, 5),
            Window {
                start: 95,
                end: 112
            }
        );
        assert_eq!(
            visible(68 * 9_995, 400, 68, 10_000, 5),
            Window {
                start: 9_990,
                end: 10_000
            }
        );
    }

    #[test]
    fn odd_inputs_never_index_outside_the_list() {
        assert_eq!(visible(0, 400, 68, 0, 5), Window { start: 0, end: 0 });
        // A rubber-band scroll above the top.
        assert_eq!(visible(-50, 400, 68, 3, 5), Window { start: 0, end: 3 });
        // A list replaced by a shorter one while scrolled far down.
        assert_eq!(visible(1 << 30, 400, 68, 3, 1), Window { start: 1, end: 3 });
        // Not laid out yet.
        assert_eq!(visible(0, 400, 0, 3, 1), Window { start: 0, end: 0 });
        assert_eq!(visible(0, 400, -1, 3, 1), Window { start: 0, end: 0 });
    }
}
