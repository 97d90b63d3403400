//! Charts drawn on the server as inline SVG (biểu đồ SVG dựng sẵn phía máy
//! chủ): horizontal stacked bars, one per row (an office, a stage), each
//! split into up to three series (on time / at risk / late). No script, no
//! external file: the markup goes straight into the page.
//!
//! Accessibility: the `<svg>` has `role="img"` and is labelled by its own
//! `<title>` and `<desc>` (`aria-labelledby`); every segment carries a
//! `<title>` with its count; colours are not the only cue (the legend names
//! each series and the page shows the same numbers in a table).
//!
//! Hand-written rather than a plotting crate: the crates that draw SVG
//! (plotters and the like) bring fonts, image codecs and a canvas model
//! for what is here a few dozen lines of `<rect>` and `<text>`, and they do
//! not emit the ARIA attributes this page needs.

use std::fmt::Write as _;

/// Total width of the drawing, in user units.
const WIDTH: u32 = 640;
/// Right edge of the row labels.
const LABEL_RIGHT: u32 = 228;
/// Left edge of the bars.
const BAR_LEFT: u32 = 236;
/// The longest bar.
const BAR_MAX: f64 = 344.0;
/// Height of one row and of its bar.
const ROW: u32 = 26;
const BAR: u32 = 18;
/// Height of the legend strip above the rows.
const LEGEND: u32 = 30;
/// Longest row label before it is shortened (the full label stays in the
/// row's `<title>`).
const LABEL_CHARS: usize = 34;

/// One series of a stacked bar chart.
#[derive(Clone, Debug)]
pub(crate) struct Series {
    /// Its name in the legend.
    pub label: String,
    /// Its fill colour (`#rrggbb`).
    pub colour: &'static str,
}

/// One bar: a label and one value per series.
#[derive(Clone, Debug)]
pub(crate) struct Bar {
    /// The row's label (an office's name).
    pub label: String,
    /// One value per series, in the series' order.
    pub values: Vec<u64>,
}

impl Bar {
    fn total(&self) -> u64 {
        self.values.iter().sum()
    }
}

/// A horizontal stacked bar chart.
#[derive(Clone, Debug)]
pub(crate) struct StackedBars {
    /// A prefix for the element ids, unique in the page.
    pub id: String,
    /// The chart's title (read first by a screen reader).
    pub title: String,
    /// A sentence saying what it shows.
    pub desc: String,
    /// The series, in stacking order.
    pub series: Vec<Series>,
    /// The rows, top to bottom.
    pub bars: Vec<Bar>,
    /// What to draw when there is nothing to show.
    pub empty: String,
}

/// `s` with the five XML special characters escaped, for text and
/// attribute values alike.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `label` shortened to [`LABEL_CHARS`] characters with an ellipsis.
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
    s.push('…');
    s
}

impl StackedBars {
    /// The chart as an `<svg>` element.
    pub(crate) fn render(&self) -> String {
        let id = escape(&self.id);
        let drawn = self.bars.iter().any(|b| b.total() > 0);
        let rows = if drawn { self.bars.len() } else { 1 };
        let height = LEGEND + ROW * u32::try_from(rows).unwrap_or(u32::MAX / ROW / 2) + 8;
        let mut svg = String::with_capacity(512 + 400 * rows);
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
             width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             font-family=\"system-ui, sans-serif\" font-size=\"13\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            escape(&self.title),
            escape(&self.desc)
        );
        // Legend: a swatch and a name per series.
        let mut x = 4u32;
        for s in &self.series {
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"8\" width=\"14\" height=\"14\" fill=\"{}\"/>\
                 <text x=\"{}\" y=\"20\" fill=\"#1a1a1a\">{}</text>",
                s.colour,
                x + 20,
                escape(&s.label)
            );
            let chars = u32::try_from(s.label.chars().count()).unwrap_or(40);
            x += 20 + 8 * chars + 16;
        }
        if !drawn {
            let _ = write!(
                svg,
                "<text x=\"4\" y=\"{}\" fill=\"#1a1a1a\">{}</text></svg>",
                LEGEND + 18,
                escape(&self.empty)
            );
            return svg;
        }
        let max = self.bars.iter().map(Bar::total).max().unwrap_or(1).max(1) as f64;
        for (i, bar) in self.bars.iter().enumerate() {
            let top = LEGEND + ROW * u32::try_from(i).unwrap_or(0);
            let text_y = top + 14;
            let _ = write!(
                svg,
                "<g><title>{}</title><text x=\"{LABEL_RIGHT}\" y=\"{text_y}\" text-anchor=\"end\" fill=\"#1a1a1a\">{}</text>",
                escape(&bar.label),
                escape(&shorten(&bar.label))
            );
            let mut left = f64::from(BAR_LEFT);
            for (value, s) in bar.values.iter().zip(&self.series) {
                if *value == 0 {
                    continue;
                }
                let w = *value as f64 * BAR_MAX / max;
                let _ = write!(
                    svg,
                    "<rect x=\"{left:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"{}\">\
                     <title>{}: {value}</title></rect>",
                    top + 2,
                    s.colour,
                    escape(&s.label)
                );
                left += w;
            }
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{text_y}\" fill=\"#1a1a1a\">{}</text></g>",
                left + 6.0,
                bar.total()
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> Vec<Series> {
        vec![
            Series {
                label: "Đúng hạn".into(),
                colour: "#1b6e20",
            },
            Series {
                label: "Sắp đến hạn".into(),
                colour: "#8a5300",
            },
            Series {
                label: "Quá hạn".into(),
                colour: "#b00020",
            },
        ]
    }

    fn chart(bars: Vec<Bar>) -> StackedBars {
        StackedBars {
            id: "qua-han".into(),
            title: "Hồ sơ đang xử lý theo đơn vị".into(),
            desc: "Số hồ sơ đúng hạn, sắp đến hạn và quá hạn của mỗi đơn vị.".into(),
            series: series(),
            bars,
            empty: "Không có hồ sơ đang xử lý.".into(),
        }
    }

    fn bar(label: &str, values: [u64; 3]) -> Bar {
        Bar {
            label: label.into(),
            values: values.to_vec(),
        }
    }

    /// The widths of the bar segments of each row, by fill colour.
    fn widths(doc: &roxmltree::Document) -> Vec<Vec<(String, f64)>> {
        doc.root_element()
            .children()
            .filter(|n| n.has_tag_name("g"))
            .map(|g| {
                g.children()
                    .filter(|n| n.has_tag_name("rect"))
                    .map(|r| {
                        (
                            r.attribute("fill").unwrap_or("").to_owned(),
                            r.attribute("width")
                                .and_then(|w| w.parse().ok())
                                .unwrap_or(f64::NAN),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn well_formed_labelled_and_proportional() {
        let svg = chart(vec![
            bar("Công an Huyện Đông Thử", [6, 2, 4]),
            bar("Công an Huyện Tây Thử", [3, 0, 0]),
        ])
        .render();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some("qua-han-title qua-han-desc")
        );
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .expect("title");
        assert_eq!(title.attribute("id"), Some("qua-han-title"));
        assert_eq!(title.text(), Some("Hồ sơ đang xử lý theo đơn vị"));
        assert!(root.children().any(|n| n.has_tag_name("desc")));
        let rows = widths(&doc);
        assert_eq!(rows.len(), 2);
        // The longest bar (12) takes the full length; segments are in
        // proportion to their values, zero values drawn not at all.
        let first: f64 = rows[0].iter().map(|(_, w)| w).sum();
        assert!((first - BAR_MAX).abs() < 0.2, "{first}");
        assert_eq!(rows[0].len(), 3);
        assert!((rows[0][0].1 / rows[0][1].1 - 3.0).abs() < 0.01);
        assert!((rows[0][2].1 / rows[0][1].1 - 2.0).abs() < 0.01);
        assert_eq!(rows[1].len(), 1);
        assert_eq!(rows[1][0].0, "#1b6e20");
        assert!((rows[1][0].1 - BAR_MAX / 4.0).abs() < 0.1);
        // Each segment names its series and count.
        assert!(svg.contains("<title>Quá hạn: 4</title>"));
        // The totals are printed after the bars.
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(texts.contains(&"12") && texts.contains(&"3"), "{texts:?}");
    }

    #[test]
    fn nothing_to_show_and_a_single_office() {
        for bars in [vec![], vec![bar("Công an Huyện Đông Thử", [0, 0, 0])]] {
            let svg = chart(bars).render();
            let doc = roxmltree::Document::parse(&svg).expect("well-formed");
            assert!(widths(&doc).is_empty());
            assert!(svg.contains("Không có hồ sơ đang xử lý."));
            assert!(svg.contains("role=\"img\""));
        }
        let svg = chart(vec![bar("Công an Huyện Đông Thử", [0, 0, 1])]).render();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let rows = widths(&doc);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0], vec![("#b00020".to_owned(), BAR_MAX)]);
    }

    #[test]
    fn names_are_escaped_and_long_ones_shortened() {
        let evil = "Công an <Phường> \"A\" & 'B' </svg><script>x</script>";
        let long = "Công an Thành phố Thủ Đức, Thành phố Hồ Chí Minh (thử nghiệm)";
        let mut c = chart(vec![bar(evil, [1, 1, 1]), bar(long, [2, 0, 0])]);
        c.title = "T & <b>".into();
        c.id = "x\"y".into();
        let svg = c.render();
        let doc = roxmltree::Document::parse(&svg).expect("escaped input stays well-formed");
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<Phường>"));
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title") || n.has_tag_name("text"))
            .filter_map(|n| n.text().map(str::to_owned))
            .collect();
        // The XML parser reads the original names back.
        assert!(texts.iter().any(|t| t == evil), "{texts:?}");
        assert!(texts.iter().any(|t| t == long));
        assert!(texts.iter().any(|t| t == "T & <b>"));
        let short = texts
            .iter()
            .find(|t| t.ends_with('…') && t.starts_with("Công an Thành"))
            .expect("shortened label");
        assert_eq!(short.chars().count(), LABEL_CHARS);
        assert!(long.starts_with(short.trim_end_matches('…')));
        assert_eq!(escape("a\u{1}b"), "a b");
    }
}
