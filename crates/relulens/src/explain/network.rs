//! A network viewed as the continuous piecewise-linear function it computes: which units can switch,
//! where, and the slope of each piece of each activation.
//!
//! Every unit whose activation has kinks (ReLU, leaky ReLU, PReLU: one at 0; ReLU6: at 0 and 6) is a
//! *switch*; a point's [`ActivationPattern`] records, for every switch, whether the unit's
//! pre-activation lies above it. Inside a set of constant pattern the network is affine.
//!
//! ```
//! use relulens::explain::PiecewiseLinear;
//! use relulens::nn::{Dense, Mlp};
//! use relulens::activation::Activation;
//! // relu(7 + A): one unit, one switch at A = -7.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![1.0], vec![7.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! assert_eq!(net.switch_count(), 1);
//! assert_eq!(net.pattern_at(&[-8.0]).to_string(), "0");
//! assert_eq!(net.pattern_at(&[-6.0]).to_string(), "1");
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;
use core::hash::{Hash, Hasher};
use std::sync::Arc;

use super::inline_vec::InlineVec;
use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::nn::Mlp;

/// The kinks and piece slopes/offsets of a piecewise-linear activation: on piece i (between kink
/// i-1 and kink i) the activation is `slope[i]·z + offset[i]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pieces {
    pub(crate) kinks: Vec<f64>,
    pub(crate) slopes: Vec<f64>,
    pub(crate) offsets: Vec<f64>,
}

impl Pieces {
    /// The pieces of `activation`, or `None` when it is not piecewise linear.
    pub(crate) fn of(activation: Activation) -> Option<Pieces> {
        let p = |kinks: &[f64], slopes: &[f64], offsets: &[f64]| {
            Some(Pieces {
                kinks: kinks.to_vec(),
                slopes: slopes.to_vec(),
                offsets: offsets.to_vec(),
            })
        };
        match activation {
            Activation::Relu => p(&[0.0], &[0.0, 1.0], &[0.0, 0.0]),
            Activation::LeakyRelu { negative_slope: s } | Activation::Prelu { weight: s } => {
                p(&[0.0], &[s, 1.0], &[0.0, 0.0])
            }
            Activation::Relu6 => p(&[0.0, 6.0], &[0.0, 1.0, 0.0], &[0.0, 0.0, 6.0]),
            Activation::Identity => p(&[], &[1.0], &[0.0]),
            _ => None,
        }
    }

    /// The index of the piece that holds `z`; a value exactly on a kink belongs to the piece below,
    /// matching PyTorch's derivative there (0 for ReLU at 0).
    pub(crate) fn piece(&self, z: f64) -> usize {
        self.kinks.iter().filter(|&&k| z > k).count()
    }
}

/// One bit per switch: whether the unit's pre-activation lies above that kink. Printed as one digit
/// per unit (how many of its kinks it lies above), layers separated by `|`.
///
/// Equality and hashing look at the bits only.
#[derive(Debug, Clone)]
pub struct ActivationPattern {
    /// Up to 256 switches in place (see [`InlineVec`]).
    bits: InlineVec<u64, 4>,
    /// For printing: switches per unit, grouped by layer (shared by every pattern of a network).
    layout: Arc<Vec<Vec<u8>>>,
}

impl PartialEq for ActivationPattern {
    fn eq(&self, other: &Self) -> bool {
        *self.bits == *other.bits
    }
}

impl Eq for ActivationPattern {}

impl Hash for ActivationPattern {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (*self.bits).hash(state);
    }
}

impl ActivationPattern {
    pub(crate) fn new(net: &PiecewiseLinear) -> Self {
        ActivationPattern {
            bits: InlineVec::filled(net.switch_count().div_ceil(64)),
            layout: net.layout.clone(),
        }
    }

    /// The pattern whose bits are `words` (as many as [`ActivationPattern::new`] makes).
    pub(crate) fn from_words(net: &PiecewiseLinear, words: &[u64]) -> Self {
        debug_assert_eq!(words.len(), net.switch_count().div_ceil(64));
        ActivationPattern {
            bits: InlineVec::from_slice(words),
            layout: net.layout.clone(),
        }
    }

    /// Whether switch `i` is on.
    pub fn get(&self, i: usize) -> bool {
        self.bits[i / 64] >> (i % 64) & 1 == 1
    }

    pub(crate) fn set(&mut self, i: usize, on: bool) {
        let mask = 1u64 << (i % 64);
        if on {
            self.bits[i / 64] |= mask;
        } else {
            self.bits[i / 64] &= !mask;
        }
    }

    /// The number of switches that are on.
    pub fn count_on(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The number of switches in which two patterns differ.
    pub fn distance(&self, other: &ActivationPattern) -> usize {
        self.bits
            .iter()
            .zip(other.bits.iter())
            .map(|(a, b)| (a ^ b).count_ones() as usize)
            .sum()
    }
}

impl fmt::Display for ActivationPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut switch = 0;
        for (l, layer) in self.layout.iter().enumerate() {
            if l > 0 {
                f.write_str("|")?;
            }
            for &kinks in layer {
                let on = (0..kinks as usize).filter(|j| self.get(switch + j)).count();
                write!(f, "{on}")?;
                switch += kinks as usize;
            }
        }
        Ok(())
    }
}

/// One layer of a [`PiecewiseLinear`] network.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub(crate) in_dim: usize,
    pub(crate) units: usize,
    /// `[units, in_dim]` row-major.
    pub(crate) weight: Vec<f64>,
    pub(crate) bias: Vec<f64>,
    pub(crate) pieces: Pieces,
    /// The index of this layer's first switch in the pattern.
    pub(crate) first_switch: usize,
    /// units × kinks.
    pub(crate) switches: usize,
}

impl Layer {
    /// The activation of `z` and the slope of its piece.
    pub(crate) fn activate(&self, z: f64) -> (f64, f64) {
        let i = self.pieces.piece(z);
        (
            self.pieces.slopes[i] * z + self.pieces.offsets[i],
            self.pieces.slopes[i],
        )
    }
}

impl Layer {
    /// [`Layer::activate`] on every value in place. With at most one kink (ReLU, leaky ReLU,
    /// PReLU, identity) the piece is a single comparison, and the loop vectorises; the results are
    /// the same bits as `activate`'s.
    pub(crate) fn activate_all(&self, values: &mut [f64]) {
        let Pieces {
            kinks,
            slopes,
            offsets,
        } = &self.pieces;
        match kinks.as_slice() {
            [] => {
                let (s, o) = (slopes[0], offsets[0]);
                values.iter_mut().for_each(|z| *z = s * *z + o);
            }
            &[k] => two_pieces(values, k, [slopes[0], offsets[0], slopes[1], offsets[1]]),
            _ => values.iter_mut().for_each(|z| *z = self.activate(*z).0),
        }
    }
}

/// `values` through an activation of two pieces, `[slope, offset]` below and above the kink `k`
/// (compiled for AVX2 too and chosen at run time: the same source, so the same bits).
fn two_pieces(values: &mut [f64], k: f64, pieces: [f64; 4]) {
    #[cfg(target_arch = "x86_64")]
    if crate::activation::has_avx2() {
        // SAFETY: the processor was checked to have AVX2 and FMA just above.
        return unsafe { two_pieces_avx2(values, k, pieces) };
    }
    two_pieces_plain(values, k, pieces);
}

/// Both pieces, then a select: branch-free, so that it vectorises.
#[inline(always)]
fn two_pieces_plain(values: &mut [f64], k: f64, [s0, o0, s1, o1]: [f64; 4]) {
    values.iter_mut().for_each(|z| {
        let (above, below) = (s1 * *z + o1, s0 * *z + o0);
        *z = if *z > k { above } else { below };
    });
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn two_pieces_avx2(values: &mut [f64], k: f64, pieces: [f64; 4]) {
    two_pieces_plain(values, k, pieces);
}

/// A network whose activations are all piecewise linear, in f64, ready for exact geometry.
#[derive(Debug, Clone)]
pub struct PiecewiseLinear {
    pub(crate) layers: Vec<Layer>,
    switches: usize,
    layout: Arc<Vec<Vec<u8>>>,
}

impl PiecewiseLinear {
    /// Checks that every activation is piecewise linear and prepares the network.
    ///
    /// # Errors
    ///
    /// [`Error::NotPiecewiseLinear`] naming the first layer whose activation is smooth.
    pub fn new(mlp: &Mlp<f64>) -> Result<Self> {
        let mut layers = Vec::with_capacity(mlp.layers().len());
        let mut first_switch = 0;
        for (i, (layer, &activation)) in mlp.layers().iter().zip(mlp.activations()).enumerate() {
            let pieces = Pieces::of(activation).ok_or(Error::NotPiecewiseLinear {
                layer: i,
                activation: activation.to_string(),
            })?;
            let switches = layer.out_dim() * pieces.kinks.len();
            layers.push(Layer {
                in_dim: layer.in_dim(),
                units: layer.out_dim(),
                weight: layer.weight().to_vec(),
                bias: layer.bias().to_vec(),
                pieces,
                first_switch,
                switches,
            });
            first_switch += switches;
        }
        let layout = Arc::new(
            layers
                .iter()
                .filter(|l| l.switches > 0)
                .map(|l| vec![l.pieces.kinks.len() as u8; l.units])
                .collect(),
        );
        Ok(PiecewiseLinear {
            layers,
            switches: first_switch,
            layout,
        })
    }

    /// The number of inputs.
    pub fn in_dim(&self) -> usize {
        self.layers[0].in_dim
    }

    /// The number of outputs.
    pub fn out_dim(&self) -> usize {
        self.layers[self.layers.len() - 1].units
    }

    /// The number of switches (units × kinks of their activation) in the whole network.
    pub fn switch_count(&self) -> usize {
        self.switches
    }

    /// An empty pattern for this network.
    pub fn empty_pattern(&self) -> ActivationPattern {
        ActivationPattern::new(self)
    }

    /// The outputs at `x` and, when `pattern` is given, the activation pattern there.
    ///
    /// # Panics
    ///
    /// If `x` does not hold `in_dim` numbers (callers check user input).
    pub(crate) fn evaluate(
        &self,
        x: &[f64],
        mut pattern: Option<&mut ActivationPattern>,
    ) -> Vec<f64> {
        assert_eq!(x.len(), self.in_dim(), "input width");
        let mut current = x.to_vec();
        for layer in &self.layers {
            let mut next = Vec::with_capacity(layer.units);
            for k in 0..layer.units {
                let row = &layer.weight[k * layer.in_dim..(k + 1) * layer.in_dim];
                let z = layer.bias[k] + row.iter().zip(&current).map(|(w, a)| w * a).sum::<f64>();
                if let Some(p) = pattern.as_deref_mut() {
                    for (j, &kink) in layer.pieces.kinks.iter().enumerate() {
                        p.set(
                            layer.first_switch + k * layer.pieces.kinks.len() + j,
                            z > kink,
                        );
                    }
                }
                next.push(layer.activate(z).0);
            }
            current = next;
        }
        current
    }

    /// Every layer's activations at `x`, input side first (the last entry is the outputs).
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `x` does not hold one number per input.
    pub fn layer_activations(&self, x: &[f64]) -> Result<Vec<Vec<f64>>> {
        self.check_point("PiecewiseLinear::layer_activations", x)?;
        let mut current = x.to_vec();
        let mut all = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            current = (0..layer.units)
                .map(|k| {
                    let row = &layer.weight[k * layer.in_dim..(k + 1) * layer.in_dim];
                    let z =
                        layer.bias[k] + row.iter().zip(&current).map(|(w, a)| w * a).sum::<f64>();
                    layer.activate(z).0
                })
                .collect();
            all.push(current.clone());
        }
        Ok(all)
    }

    /// The number of layers (hidden and output).
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Each layer's width, input side first (the last is the output width).
    pub fn widths(&self) -> Vec<usize> {
        self.layers.iter().map(|l| l.units).collect()
    }

    /// Whether unit `unit` of layer `layer` lies above its first kink in `pattern` (for ReLU: is on).
    pub fn is_active(&self, pattern: &ActivationPattern, layer: usize, unit: usize) -> bool {
        let l = &self.layers[layer];
        !l.pieces.kinks.is_empty() && pattern.get(l.first_switch + unit * l.pieces.kinks.len())
    }

    /// The outputs at `x`.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `x` does not hold one number per input.
    pub fn outputs(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.check_point("PiecewiseLinear::outputs", x)?;
        Ok(self.evaluate(x, None))
    }

    /// The activation pattern at `x`.
    ///
    /// # Panics
    ///
    /// If `x` does not hold one number per input.
    pub fn pattern_at(&self, x: &[f64]) -> ActivationPattern {
        let mut pattern = self.empty_pattern();
        self.evaluate(x, Some(&mut pattern));
        pattern
    }

    pub(crate) fn check_point(&self, op: &'static str, x: &[f64]) -> Result<()> {
        if x.len() != self.in_dim() {
            return Err(Error::ShapeMismatch {
                op,
                what: "point".into(),
                expected: format!("{} coordinates", self.in_dim()),
                got: format!("{}", x.len()),
            });
        }
        if let Some(v) = x.iter().find(|v| !v.is_finite()) {
            return Err(Error::InvalidGeometry {
                op,
                reason: format!("coordinate {v} is not finite"),
            });
        }
        Ok(())
    }

    /// The Jacobian ∂output/∂input (`[out_dim, in_dim]`, row-major) of the affine piece with
    /// `pattern`: W_L·S_{L-1}·W_{L-1}·…·S_1·W_1, with S the slopes the pattern selects.
    pub fn jacobian(&self, pattern: &ActivationPattern) -> Vec<f64> {
        let n = self.in_dim();
        // m = S_l · W_l · … as [units, n], built from the input side.
        let mut m: Vec<f64> = Vec::new();
        for (l, layer) in self.layers.iter().enumerate() {
            let next: Vec<f64> = if l == 0 {
                layer.weight.clone()
            } else {
                let mut out = vec![0.0; layer.units * n];
                for k in 0..layer.units {
                    let row = &layer.weight[k * layer.in_dim..(k + 1) * layer.in_dim];
                    let dst = &mut out[k * n..(k + 1) * n];
                    for (j, &w) in row.iter().enumerate() {
                        if w != 0.0 {
                            for (d, s) in dst.iter_mut().zip(&m[j * n..(j + 1) * n]) {
                                *d += w * s;
                            }
                        }
                    }
                }
                out
            };
            m = next;
            let kinks = layer.pieces.kinks.len();
            for k in 0..layer.units {
                let piece = (0..kinks)
                    .filter(|&j| pattern.get(layer.first_switch + k * kinks + j))
                    .count();
                let slope = layer.pieces.slopes[piece];
                if slope != 1.0 {
                    m[k * n..(k + 1) * n].iter_mut().for_each(|v| *v *= slope);
                }
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::MlpConfig;

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn two_pieces_gives_the_same_bits_on_both_paths() {
        if !crate::activation::has_avx2() {
            return;
        }
        let mut values = crate::explain::test_nets::values(1001, 3);
        values.extend([
            0.0,
            -0.0,
            0.25,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1e300,
            -1e300,
        ]);
        for pieces in [
            [0.0, 0.0, 1.0, 0.0],
            [0.01, 0.0, 1.0, 0.0],
            [-0.5, 0.125, 2.0, -0.25],
        ] {
            for k in [0.0, 0.25] {
                let (mut plain, mut wide) = (values.clone(), values.clone());
                two_pieces_plain(&mut plain, k, pieces);
                // SAFETY: AVX2 and FMA were checked above.
                unsafe { two_pieces_avx2(&mut wide, k, pieces) };
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&plain), bits(&wide), "{pieces:?} at {k}");
            }
        }
    }

    #[test]
    fn smooth_activations_are_refused() {
        let mlp = MlpConfig::new(vec![2, 3, 1])
            .activation(Activation::Gelu)
            .init::<f64>()
            .unwrap();
        let err = PiecewiseLinear::new(&mlp).unwrap_err();
        assert!(err.to_string().contains("gelu"), "{err}");
    }

    #[test]
    fn the_jacobian_matches_finite_differences_at_random_points() {
        let mlp = MlpConfig::new(vec![3, 7, 5, 2])
            .seed(9)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let x = [0.3, -0.7, 1.1];
        let j = net.jacobian(&net.pattern_at(&x));
        let h = 1e-7;
        for i in 0..3 {
            let (mut p, mut m) = (x, x);
            p[i] += h;
            m[i] -= h;
            let (yp, ym) = (net.outputs(&p).unwrap(), net.outputs(&m).unwrap());
            for o in 0..2 {
                let numeric = (yp[o] - ym[o]) / (2.0 * h);
                assert!(
                    (numeric - j[o * 3 + i]).abs() < 1e-6,
                    "{numeric} vs {}",
                    j[o * 3 + i]
                );
            }
        }
        // The outputs agree with the Mlp's own forward pass.
        let y = mlp.forward(&x, 1).unwrap();
        for (a, b) in net.outputs(&x).unwrap().iter().zip(&y) {
            assert!((a - b).abs() < 1e-14, "{a} vs {b}");
        }
    }

    #[test]
    fn relu6_has_two_switches_per_unit() {
        let mlp = MlpConfig::new(vec![1, 2, 1])
            .activation(Activation::Relu6)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        assert_eq!(net.switch_count(), 4);
        assert_eq!(net.empty_pattern().to_string(), "00");
    }
}
