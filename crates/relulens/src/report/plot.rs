//! A drawn figure: what plotters drew, recorded once as shapes and text, and played back as SVG
//! for the page or (feature `png`) rasterised to a PNG. Both outputs come from one layout, so the
//! picture in the page and the picture in the file are the same picture.
//!
//! Every `plot_*` function returns a [`Plot`].
//!
//! ```
//! use relulens::report::{plot_curves, Axes, Series};
//! let relu = Series::sample("relu", [-3.0, 3.0], 61, |x| x.max(0.0));
//! let plot = plot_curves(&Axes::new("ReLU", "x", "relu(x)"), &[relu]);
//! assert_eq!(plot.size(), (640, 420));
//! assert!(plot.svg().starts_with("<svg") && plot.to_string().starts_with("Plot(640×420"));
//! ```

use core::fmt;
use std::convert::Infallible;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, TextStyle};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// A figure drawn and ready to write out: its size in pixels and what it is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    size: (u32, u32),
    shapes: Vec<Shape>,
}

/// One thing drawn, in the drawing's pixel coordinates.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Pixel {
        at: BackendCoord,
        color: Rgba,
    },
    Line {
        from: BackendCoord,
        to: BackendCoord,
        stroke: Stroke,
    },
    Rect {
        corners: [BackendCoord; 2],
        stroke: Stroke,
        fill: bool,
    },
    Path {
        points: Vec<BackendCoord>,
        stroke: Stroke,
    },
    Circle {
        center: BackendCoord,
        radius: u32,
        stroke: Stroke,
        fill: bool,
    },
    Polygon {
        points: Vec<BackendCoord>,
        color: Rgba,
    },
    Text {
        text: String,
        font: Font,
        at: BackendCoord,
    },
}

/// A colour with its opacity (plotters' `BackendColor`, comparable).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgba {
    rgb: (u8, u8, u8),
    alpha: f64,
}

/// A colour and a line width.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stroke {
    color: Rgba,
    width: u32,
}

/// A text's font, size, colour, rotation and anchor, as plotters asked for them.
#[derive(Debug, Clone, PartialEq)]
struct Font {
    family: String,
    /// Plotters' size (its SVG writes `font-size` = size / 1.24).
    size: f64,
    style: Style,
    /// Clockwise rotation in quarter turns.
    quarter_turns: u8,
    anchor: (Horizontal, Vertical),
    color: Rgba,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Normal,
    Oblique,
    Italic,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Horizontal {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Vertical {
    Top,
    Center,
    Bottom,
}

impl Plot {
    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// How many shapes and texts were drawn.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// The figure as one SVG document (plotters' SVG backend: shapes and `<text>`, no font).
    ///
    /// # Panics
    ///
    /// If plotters fails to write into a `String`, which it cannot.
    pub fn svg(&self) -> String {
        let mut svg = String::new();
        {
            let mut backend = SVGBackend::with_string(&mut svg, self.size);
            self.replay(&mut backend, 1)
                .and_then(|()| backend.present())
                .expect("drawing into a String cannot fail");
        }
        svg
    }

    /// Draws every shape onto `backend`, `scale` times larger.
    pub(crate) fn replay<DB: DrawingBackend>(
        &self,
        backend: &mut DB,
        scale: u32,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let s = scale as i32;
        let at = |(x, y): BackendCoord| (x * s, y * s);
        let all = |points: &[BackendCoord]| points.iter().map(|&p| at(p)).collect::<Vec<_>>();
        backend.ensure_prepared()?;
        for shape in &self.shapes {
            match shape {
                Shape::Pixel { at: p, color } => {
                    // A pixel grows into a scale × scale block.
                    let (x, y) = at(*p);
                    backend.draw_rect((x, y), (x + s - 1, y + s - 1), &color.backend(), true)?;
                }
                Shape::Line { from, to, stroke } => {
                    backend.draw_line(at(*from), at(*to), &stroke.scaled(scale))?;
                }
                Shape::Rect {
                    corners,
                    stroke,
                    fill,
                } => {
                    backend.draw_rect(
                        at(corners[0]),
                        at(corners[1]),
                        &stroke.scaled(scale),
                        *fill,
                    )?;
                }
                Shape::Path { points, stroke } => {
                    backend.draw_path(all(points), &stroke.scaled(scale))?;
                }
                Shape::Circle {
                    center,
                    radius,
                    stroke,
                    fill,
                } => {
                    backend.draw_circle(
                        at(*center),
                        radius * scale,
                        &stroke.scaled(scale),
                        *fill,
                    )?;
                }
                Shape::Polygon { points, color } => {
                    backend.fill_polygon(all(points), &color.backend())?;
                }
                Shape::Text { text, font, at: p } => {
                    backend.draw_text(text, &font.text_style(f64::from(scale)), at(*p))?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Plot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Plot({}×{}, {} elements)",
            self.size.0,
            self.size.1,
            self.shapes.len()
        )
    }
}

impl Rgba {
    fn new(color: BackendColor) -> Rgba {
        Rgba {
            rgb: color.rgb,
            alpha: color.alpha,
        }
    }

    fn backend(self) -> BackendColor {
        BackendColor {
            rgb: self.rgb,
            alpha: self.alpha,
        }
    }
}

impl Stroke {
    fn new<S: BackendStyle>(style: &S) -> Stroke {
        Stroke {
            color: Rgba::new(style.color()),
            width: style.stroke_width(),
        }
    }

    fn scaled(self, scale: u32) -> Stroke {
        Stroke {
            width: self.width * scale,
            ..self
        }
    }
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color.backend()
    }

    fn stroke_width(&self) -> u32 {
        self.width
    }
}

impl Font {
    fn new<S: BackendTextStyle>(style: &S) -> Font {
        let anchor = style.anchor();
        Font {
            family: style.family().as_str().to_string(),
            size: style.size(),
            style: match style.style() {
                FontStyle::Normal => Style::Normal,
                FontStyle::Oblique => Style::Oblique,
                FontStyle::Italic => Style::Italic,
                FontStyle::Bold => Style::Bold,
            },
            quarter_turns: match style.transform() {
                FontTransform::None => 0,
                FontTransform::Rotate90 => 1,
                FontTransform::Rotate180 => 2,
                FontTransform::Rotate270 => 3,
            },
            anchor: (
                match anchor.h_pos {
                    HPos::Left => Horizontal::Left,
                    HPos::Center => Horizontal::Center,
                    HPos::Right => Horizontal::Right,
                },
                match anchor.v_pos {
                    VPos::Top => Vertical::Top,
                    VPos::Center => Vertical::Center,
                    VPos::Bottom => Vertical::Bottom,
                },
            ),
            color: Rgba::new(style.color()),
        }
    }

    /// The font as plotters' text style, `scale` times larger.
    fn text_style(&self, scale: f64) -> TextStyle<'_> {
        let style = match self.style {
            Style::Normal => FontStyle::Normal,
            Style::Oblique => FontStyle::Oblique,
            Style::Italic => FontStyle::Italic,
            Style::Bold => FontStyle::Bold,
        };
        let transform = match self.quarter_turns {
            1 => FontTransform::Rotate90,
            2 => FontTransform::Rotate180,
            3 => FontTransform::Rotate270,
            _ => FontTransform::None,
        };
        let pos = Pos::new(
            match self.anchor.0 {
                Horizontal::Left => HPos::Left,
                Horizontal::Center => HPos::Center,
                Horizontal::Right => HPos::Right,
            },
            match self.anchor.1 {
                Vertical::Top => VPos::Top,
                Vertical::Center => VPos::Center,
                Vertical::Bottom => VPos::Bottom,
            },
        );
        TextStyle {
            font: FontDesc::new(
                FontFamily::from(self.family.as_str()),
                self.size * scale,
                style,
            )
            .transform(transform),
            color: self.color.backend(),
            pos,
        }
    }
}

/// What a drawing step returns: plotters' error for the recording backend (none in practice: the
/// recorder cannot fail, and fonts are only measured).
pub(crate) type DrawResult = Result<(), DrawingAreaErrorKind<Infallible>>;

/// The drawing area every plot draws on.
pub(crate) type Area<'a> = DrawingArea<Recorder<'a>, plotters::coord::Shift>;

/// Records what `draw` draws on a `size` drawing area.
///
/// # Panics
///
/// If drawing fails, which it cannot: recording has no I/O, and the only font errors would come
/// from a font that is not registered (the bundled one is, first).
pub(crate) fn record(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> DrawResult) -> Plot {
    // Laying out text measures it with the font plotters was built with; with `png` that is the
    // bundled font, which must be registered before the first measurement.
    #[cfg(feature = "png")]
    super::png::register_font();
    let mut shapes = Vec::new();
    {
        let root = Recorder {
            size,
            shapes: &mut shapes,
        }
        .into_drawing_area();
        draw(&root).expect("recording a drawing cannot fail");
    }
    Plot { size, shapes }
}

/// A plotters backend that draws nothing and remembers everything: plots draw on it, and the
/// [`Plot`] it fills plays the drawing back on a real backend.
pub(crate) struct Recorder<'a> {
    size: (u32, u32),
    shapes: &'a mut Vec<Shape>,
}

impl Recorder<'_> {
    fn push(&mut self, shape: Shape) -> Result<(), DrawingErrorKind<Infallible>> {
        self.shapes.push(shape);
        Ok(())
    }
}

impl DrawingBackend for Recorder<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        at: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Pixel {
            at,
            color: Rgba::new(color),
        })
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Line {
            from,
            to,
            stroke: Stroke::new(style),
        })
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Rect {
            corners: [upper_left, bottom_right],
            stroke: Stroke::new(style),
            fill,
        })
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Path {
            points: path.into_iter().collect(),
            stroke: Stroke::new(style),
        })
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Circle {
            center,
            radius,
            stroke: Stroke::new(style),
            fill,
        })
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Polygon {
            points: vertices.into_iter().collect(),
            color: Rgba::new(style.color()),
        })
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        at: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.push(Shape::Text {
            text: text.to_string(),
            font: Font::new(style),
            at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of shape once, on any backend.
    fn draw<DB: DrawingBackend>(
        root: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let thick = ShapeStyle::from(&RED).stroke_width(3);
        root.draw(&PathElement::new(vec![(10, 10), (50, 50)], thick))?;
        root.draw(&Circle::new((100, 50), 5, BLUE.filled()))?;
        root.draw(&Polygon::new(vec![(0, 0), (20, 0), (0, 20)], GREEN))?;
        root.draw(&Text::new("relu", (120, 20), ("sans-serif", 20)))
    }

    #[test]
    fn the_svg_played_back_is_the_svg_drawn_directly() {
        #[allow(clippy::redundant_closure)] // the closure makes `draw` general over the lifetime
        let plot = record((200, 100), |root| draw(root));
        let mut direct = String::new();
        {
            let root = SVGBackend::with_string(&mut direct, (200, 100)).into_drawing_area();
            draw(&root).unwrap();
            root.present().unwrap();
        }
        assert_eq!(plot.svg(), direct);
        assert_eq!(plot.to_string(), "Plot(200×100, 5 elements)");
    }
}
