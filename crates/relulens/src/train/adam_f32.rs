//! Adam's `f32` update without the processor's slow path for subnormal numbers, bit for bit the
//! plain arithmetic.
//!
//! When a ReLU unit is dead its weights' gradients are exactly 0, so their first moments decay by
//! β₁ a step into the subnormal range (below 2⁻¹²⁶ ≈ 1.2e-38) and stay there; the second moments
//! follow, more slowly. x86 processors compute on subnormal numbers through a microcode assist of
//! a hundred cycles or more per instruction, so on a small network with a few dead units Adam's
//! step becomes most of the training time. Flushing subnormals to zero (what
//! `torch.set_flush_denormal(True)` does) would be fast but changes results.
//!
//! Here every element whose parameter, gradient or moments is subnormal is set aside: the main
//! pass computes the others, branch-free so that it vectorises (the set-aside lanes compute on
//! zeros, so the vector instructions never meet a subnormal, and keep their values). A second pass
//! then updates the set-aside elements, in one of two exact ways:
//!
//! - a dead element (gradient 0, first moment subnormal, parameter normal) needs no floating-point
//!   work on subnormals at all: m·(1 − β₁) and v·β₂ are integer products on the subnormals' steps
//!   of 2⁻¹⁴⁹ with round-to-nearest-even, and the parameter's change is provably under a quarter
//!   of its spacing, so it does not move ([`AdamF32::dead`] checks that bound each time);
//! - anything else carries out each `f32` operation in `f64`, where f32's subnormals are ordinary
//!   normal numbers, and rounds back to `f32` by hand. For +, −, ×, ÷ and √ of `f32` operands the
//!   `f64` result rounded to `f32` is the correctly rounded `f32` result (53 ≥ 2·24 + 2: the double
//!   rounding is innocuous, subnormal results included).
//!
//! Both give the same bits as the plain arithmetic, only without the assists; the tests check
//! that against the plain formula on special and random values, subnormal ones in particular.
//! On 2-64-64-1 training then runs within 4% of its speed with flush-to-zero (bench/BENCHMARKS.md).

/// Adam's constants for one step, already rounded to `f32` as the plain update rounds them.
#[derive(Debug, Clone, Copy)]
pub(super) struct AdamF32 {
    /// Whether weight decay is decoupled (AdamW).
    pub decoupled: bool,
    /// Whether L2 weight decay is added to the gradient (Adam with weight_decay ≠ 0).
    pub coupled_decay: bool,
    /// 1 − lr·weight_decay (AdamW).
    pub decay: f32,
    /// weight_decay (Adam).
    pub wd: f32,
    /// 1 − β₁.
    pub w1: f32,
    /// β₂.
    pub b2: f32,
    /// 1 − β₂.
    pub w2: f32,
    /// √(1 − β₂ᵗ).
    pub bias_correction2_sqrt: f32,
    /// ε.
    pub eps: f32,
    /// −lr / (1 − β₁ᵗ).
    pub neg_step_size: f32,
    /// `w1` for the integer path.
    pub w1_steps: Steps,
    /// `b2` for the integer path.
    pub b2_steps: Steps,
}

impl AdamF32 {
    /// The plain update of one element: the reference both passes reproduce.
    #[cfg(test)]
    fn plain(&self, p: &mut f32, g: f32, m: &mut f32, v: &mut f32) {
        match (self.decoupled, self.coupled_decay) {
            (true, _) => self.plain_in::<true, false>(p, g, m, v),
            (false, true) => self.plain_in::<false, true>(p, g, m, v),
            (false, false) => self.plain_in::<false, false>(p, g, m, v),
        }
    }

    /// [`AdamF32::plain`] with the kind of weight decay fixed, so that loops over it vectorise.
    #[inline(always)]
    fn plain_in<const DECOUPLED: bool, const COUPLED: bool>(
        &self,
        p: &mut f32,
        g: f32,
        m: &mut f32,
        v: &mut f32,
    ) {
        let mut g = g;
        if DECOUPLED {
            *p *= self.decay;
        } else if COUPLED {
            g += *p * self.wd;
        }
        // torch's lerp with weight < 0.5: m + w·(g − m).
        *m += self.w1 * (g - *m);
        *v = *v * self.b2 + g * g * self.w2;
        let denom = v.sqrt() / self.bias_correction2_sqrt + self.eps;
        *p += self.neg_step_size * (*m / denom);
    }

    /// The same update with each operation done in `f64` and rounded to `f32` by [`round`].
    fn emulated(&self, p: &mut f32, g: f32, m: &mut f32, v: &mut f32) {
        let (add, sub, mul, div) = (
            |a: f32, b: f32| round(widen(a) + widen(b)),
            |a: f32, b: f32| round(widen(a) - widen(b)),
            |a: f32, b: f32| round(widen(a) * widen(b)),
            |a: f32, b: f32| round(widen(a) / widen(b)),
        );
        let mut g = g;
        if self.decoupled {
            *p = mul(*p, self.decay);
        } else if self.coupled_decay {
            g = add(g, mul(*p, self.wd));
        }
        *m = add(*m, mul(self.w1, sub(g, *m)));
        *v = add(mul(*v, self.b2), mul(mul(g, g), self.w2));
        let denom = add(
            div(round(widen(*v).sqrt()), self.bias_correction2_sqrt),
            self.eps,
        );
        *p = add(*p, mul(self.neg_step_size, div(*m, denom)));
    }

    /// A dead element's update, exactly and cheaply: gradient 0, first moment subnormal, no L2
    /// decay added to the gradient, the parameter normal. Then m' = m − rne(m·(1 − β₁)) and
    /// v' = v·β₂ are integer operations on the subnormals' steps (or plain arithmetic where v is
    /// normal), and the parameter does not move: |m'/denom·step| < 2⁻¹²⁶·|step|/denom, which the
    /// test below bounds by a quarter of the parameter's spacing, so p + that rounds to p. Returns
    /// false, changing nothing, when a condition fails.
    #[inline(always)]
    fn dead(&self, p: &mut f32, g: f32, m: &mut f32, v: &mut f32) -> bool {
        if self.coupled_decay
            || g.to_bits() & 0x7fff_ffff != 0
            || !subnormal(*m)
            || v.is_sign_negative()
            || !self.w1_steps.valid
            || !self.b2_steps.valid
        {
            return false;
        }
        let mut p1 = *p;
        if self.decoupled {
            if subnormal(p1) {
                return false;
            }
            p1 *= self.decay;
        }
        if p1.is_nan() || p1.abs() < f32::MIN_POSITIVE {
            return false;
        }
        // m + w1·(0 − m), on the steps of 2⁻¹⁴⁹ (the sign is m's; the difference is exact).
        let k = m.to_bits() & 0x007f_ffff;
        let m1 = f32::from_bits((m.to_bits() & 0x8000_0000) | (k - self.w1_steps.times(k)));
        // v·β₂ + 0·0·(1 − β₂) = v·β₂ (v ≥ 0), and √v.
        let (v1, root) = if subnormal(*v) {
            let steps = self.b2_steps.times(v.to_bits());
            // √(s·2⁻¹⁴⁹) = √(2s)·2⁻⁷⁵: 2s < 2²⁵ is exact in f32 only below 2²⁴, and the result
            // is normal, so the power of two scales it exactly.
            let root = if steps < 1 << 23 {
                (2.0 * steps as f32).sqrt() * TWO_M75
            } else {
                f32::from_bits(steps).sqrt()
            };
            (f32::from_bits(steps), root)
        } else {
            let v1 = *v * self.b2 + g * g * self.w2;
            if subnormal(v1) {
                return false;
            }
            (v1, v1.sqrt())
        };
        let denom = root / self.bias_correction2_sqrt + self.eps;
        // |step·m'/denom| < 2⁻¹²⁶·|step|/denom ≤ |p|·2⁻²⁶, a quarter of p's smaller spacing.
        let ratio = self.neg_step_size.abs() / denom;
        if ratio.is_nan() || ratio > p1.abs() * TWO_100 {
            return false;
        }
        *p = p1;
        *m = m1;
        *v = v1;
        true
    }

    /// Updates every element: the plain arithmetic where nothing is subnormal, [`AdamF32::dead`]
    /// or the emulated arithmetic where something is.
    pub(super) fn update(
        &self,
        params: &mut [f32],
        grads: &[f32],
        first: &mut [f32],
        second: &mut [f32],
    ) {
        match (self.decoupled, self.coupled_decay) {
            (true, _) => self.update_in::<true, false>(params, grads, first, second),
            (false, true) => self.update_in::<false, true>(params, grads, first, second),
            (false, false) => self.update_in::<false, false>(params, grads, first, second),
        }
    }

    fn update_in<const DECOUPLED: bool, const COUPLED: bool>(
        &self,
        params: &mut [f32],
        grads: &[f32],
        first: &mut [f32],
        second: &mut [f32],
    ) {
        const CHUNK: usize = 256;
        let n = params.len();
        let (grads, first, second) = (&grads[..n], &mut first[..n], &mut second[..n]);
        let mut tiny = [false; CHUNK];
        for start in (0..n).step_by(CHUNK) {
            let end = n.min(start + CHUNK);
            let p = &mut params[start..end];
            let g = &grads[start..end];
            let m = &mut first[start..end];
            let v = &mut second[start..end];
            let tiny = &mut tiny[..end - start];
            if self.main_pass::<DECOUPLED, COUPLED>((p, g, m, v, tiny)) {
                for i in 0..tiny.len() {
                    if tiny[i] && !self.dead(&mut p[i], g[i], &mut m[i], &mut v[i]) {
                        self.emulated(&mut p[i], g[i], &mut m[i], &mut v[i]);
                    }
                }
            }
        }
    }

    /// The plain update of every element with nothing subnormal; marks the others in `tiny` and
    /// returns whether there are any. Compiled for AVX2 too, where the processor has it: the
    /// baseline build runs this loop one element at a time (sqrt and two divisions each), which
    /// was 43% of a 2-64-64-1 training step.
    #[inline(always)]
    fn main_pass<const DECOUPLED: bool, const COUPLED: bool>(&self, chunk: Chunk<'_>) -> bool {
        #[cfg(target_arch = "x86_64")]
        if crate::activation::has_avx2() {
            // SAFETY: the processor was checked to have AVX2 and FMA just above.
            return unsafe { self.main_pass_avx2::<DECOUPLED, COUPLED>(chunk) };
        }
        self.main_pass_plain::<DECOUPLED, COUPLED>(chunk)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn main_pass_avx2<const DECOUPLED: bool, const COUPLED: bool>(
        &self,
        chunk: Chunk<'_>,
    ) -> bool {
        self.main_pass_plain::<DECOUPLED, COUPLED>(chunk)
    }

    #[inline(always)]
    fn main_pass_plain<const DECOUPLED: bool, const COUPLED: bool>(
        &self,
        chunk: Chunk<'_>,
    ) -> bool {
        let (p, g, m, v, tiny) = chunk;
        // One length for all five, so the loop below carries no bounds checks (which would keep
        // it from vectorising).
        let n = tiny.len();
        let (p, g, m, v) = (&mut p[..n], &g[..n], &mut m[..n], &mut v[..n]);
        let mut any = 0u32;
        // Branch-free, so that it vectorises: a set-aside lane computes on zeros (fast, and
        // thrown away) and keeps its values.
        for i in 0..n {
            let (p0, g0, m0, v0) = (
                p[i].to_bits(),
                g[i].to_bits(),
                m[i].to_bits(),
                v[i].to_bits(),
            );
            let set_aside =
                subnormal_bits(p0) | subnormal_bits(g0) | subnormal_bits(m0) | subnormal_bits(v0);
            // Or-ing the flag itself, not the mask made from it: LLVM does not recognise an
            // or of the mask as a reduction and then leaves the whole loop scalar.
            any |= u32::from(set_aside);
            tiny[i] = set_aside;
            let keep = u32::from(set_aside).wrapping_neg();
            let zeroed = |x: u32| f32::from_bits(x & !keep);
            let (mut p1, mut m1, mut v1) = (zeroed(p0), zeroed(m0), zeroed(v0));
            self.plain_in::<DECOUPLED, COUPLED>(&mut p1, zeroed(g0), &mut m1, &mut v1);
            let pick = |old: u32, new: f32| f32::from_bits((old & keep) | (new.to_bits() & !keep));
            p[i] = pick(p0, p1);
            m[i] = pick(m0, m1);
            v[i] = pick(v0, v1);
        }
        any != 0
    }
}

/// One chunk of [`AdamF32::update`]: parameters, gradients, first and second moments, and the
/// flags of the elements set aside.
type Chunk<'a> = (
    &'a mut [f32],
    &'a [f32],
    &'a mut [f32],
    &'a mut [f32],
    &'a mut [bool],
);

/// A constant c in [0, 1] as an integer times a power of two, c = mantissa·2⁻ˢʰⁱᶠᵗ, to multiply
/// the step counts of subnormal numbers by c with round-to-nearest-even in integers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Steps {
    mantissa: u64,
    shift: u32,
    /// False when c is outside [0, 1] or subnormal: the integer path is not used.
    valid: bool,
}

impl Steps {
    /// c's decomposition.
    pub(super) fn of(c: f32) -> Steps {
        let bits = c.to_bits();
        let exponent = bits >> 23;
        if c == 0.0 {
            return Steps {
                mantissa: 0,
                shift: 1,
                valid: bits == 0,
            };
        }
        if !(c > 0.0 && c <= 1.0) || exponent == 0 {
            return Steps {
                mantissa: 0,
                shift: 1,
                valid: false,
            };
        }
        // c = (2²³ + fraction)·2^(exponent − 150), and exponent ≤ 127. Past a shift of 62 the
        // integers would overflow; such a c (below 2⁻³⁹) leaves the integer path unused.
        let shift = 150 - exponent;
        Steps {
            mantissa: u64::from((bits & 0x007f_ffff) | 0x0080_0000),
            shift,
            valid: shift <= 62,
        }
    }

    /// rne(k·c) for a step count k < 2²³: the steps of the correctly rounded product of a
    /// subnormal number and c.
    #[inline(always)]
    fn times(self, k: u32) -> u32 {
        let x = u64::from(k) * self.mantissa;
        let (q, r) = (x >> self.shift, x & ((1 << self.shift) - 1));
        let half = 1 << (self.shift - 1);
        (q + u64::from(r > half || (r == half && q & 1 == 1))) as u32
    }
}

/// Whether `x` is subnormal (not zero), read from its bits so no floating-point unit sees it.
#[inline(always)]
fn subnormal(x: f32) -> bool {
    subnormal_bits(x.to_bits())
}

/// [`subnormal`] of the number with these bits.
#[inline(always)]
fn subnormal_bits(bits: u32) -> bool {
    (bits & 0x7fff_ffff).wrapping_sub(1) < 0x007f_ffff
}

/// 2¹⁴⁹ and 2⁻¹⁴⁹: the step of f32's subnormals is 2⁻¹⁴⁹.
const TWO_149: f64 = f64::from_bits((1023 + 149) << 52);
const TWO_M149: f64 = f64::from_bits((1023 - 149) << 52);
/// 2⁻⁷⁵ and 2¹⁰⁰, normal `f32` numbers.
const TWO_M75: f32 = f32::from_bits((127 - 75) << 23);
const TWO_100: f32 = f32::from_bits((127 + 100) << 23);

/// `x` in `f64`, exactly, without an `f32` instruction touching a subnormal.
#[inline]
fn widen(x: f32) -> f64 {
    if subnormal(x) {
        let magnitude = f64::from(x.to_bits() & 0x007f_ffff) * TWO_M149;
        if x.is_sign_negative() {
            -magnitude
        } else {
            magnitude
        }
    } else {
        f64::from(x)
    }
}

/// `x` rounded to the nearest `f32` (ties to even), without an instruction producing a subnormal
/// `f32`: values below 2⁻¹²⁶ are rounded to a multiple of 2⁻¹⁴⁹ in `f64` and assembled from bits.
#[inline]
fn round(x: f64) -> f32 {
    if x.is_nan() || x.abs() >= f64::from(f32::MIN_POSITIVE) {
        return x as f32;
    }
    // Exact scaling by a power of two, then one rounding to an integer of at most 2²³ (which is
    // 2⁻¹²⁶ itself, the bit pattern of the smallest normal number).
    let steps = (x.abs() * TWO_149).round_ties_even() as u32;
    f32::from_bits(steps | (u32::from(x.is_sign_negative()) << 31))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn constants(step: i32, weight_decay: f64, decoupled: bool) -> AdamF32 {
        let (lr, beta1, beta2, eps) = (1e-3, 0.9f64, 0.999f64, 1e-8);
        AdamF32 {
            decoupled,
            coupled_decay: !decoupled && weight_decay != 0.0,
            decay: (1.0 - lr * weight_decay) as f32,
            wd: weight_decay as f32,
            w1: (1.0 - beta1) as f32,
            b2: beta2 as f32,
            w2: (1.0 - beta2) as f32,
            bias_correction2_sqrt: (1.0 - beta2.powi(step)).sqrt() as f32,
            eps: eps as f32,
            neg_step_size: (-lr / (1.0 - beta1.powi(step))) as f32,
            w1_steps: Steps::of((1.0 - beta1) as f32),
            b2_steps: Steps::of(beta2 as f32),
        }
    }

    #[test]
    fn widen_and_round_are_exact_on_subnormals_and_their_edges() {
        for bits in [
            0u32,
            1,
            2,
            3,
            0x0040_0000,
            0x007f_ffff,
            0x0080_0000,
            0x0080_0001,
        ] {
            for sign in [0, 0x8000_0000] {
                let x = f32::from_bits(bits | sign);
                assert_eq!(widen(x), f64::from(x), "{bits:#x}");
                assert_eq!(round(widen(x)).to_bits(), x.to_bits(), "{bits:#x}");
            }
        }
        // Ties go to even: 1.5 and 2.5 steps round to 2; just above a tie rounds up.
        assert_eq!(TWO_149 * TWO_M149, 1.0);
        assert_eq!(
            (TWO_M75 as f64, TWO_100 as f64),
            (2f64.powi(-75), 2f64.powi(100))
        );
        assert_eq!(round(1.5 * TWO_M149).to_bits(), 2);
        assert_eq!(round(2.5 * TWO_M149).to_bits(), 2);
        assert_eq!(round(2.500_001 * TWO_M149).to_bits(), 3);
        assert_eq!(round(-0.4 * TWO_M149).to_bits(), 0x8000_0000);
        // Against the hardware's own rounding of f64 to f32, on random values near the range.
        let mut rng = Rng::new(3);
        for _ in 0..100_000 {
            let x = rng.uniform(-1.0, 1.0) * 2f64.powi(-(120 + rng.below(40) as i32));
            assert_eq!(round(x).to_bits(), (x as f32).to_bits(), "{x:e}");
        }
    }

    #[test]
    fn integer_steps_multiply_subnormals_as_the_hardware_does() {
        let mut rng = Rng::new(5);
        let mut constants = vec![0.1f32, 0.999, 1.0, 0.5, 0.0, 1e-3, 0.75];
        constants.extend((0..20).map(|_| rng.uniform(0.0, 1.0) as f32));
        for c in constants {
            let steps = Steps::of(c);
            assert!(steps.valid, "{c}");
            for _ in 0..2000 {
                let k = 1 + rng.below(0x007f_ffff) as u32;
                let expected = (f32::from_bits(k) * c).to_bits();
                assert_eq!(steps.times(k), expected, "{k} × {c}");
            }
        }
        assert!(!Steps::of(1.5).valid && !Steps::of(-0.1).valid && !Steps::of(1e-40).valid);
    }

    /// A value of each kind an element can hold: zeros, subnormals, the edge of the normal
    /// range, ordinary values, both signs.
    fn draw(rng: &mut Rng) -> f32 {
        let magnitude = match rng.below(6) {
            0 => 0.0,
            1 => f32::from_bits(1 + rng.below(0x007f_ffff) as u32),
            2 => f32::from_bits(1 + rng.below(64) as u32),
            3 => f32::from_bits(0x0080_0000 + rng.below(1 << 20) as u32),
            4 => rng.uniform(0.0, 1.0) as f32 * 1e-30,
            _ => rng.uniform(0.0, 2.0) as f32,
        };
        if rng.below(2) == 0 {
            magnitude
        } else {
            -magnitude
        }
    }

    #[test]
    fn the_update_is_the_plain_arithmetic_bit_for_bit() {
        let mut rng = Rng::new(11);
        for case in 0..60 {
            let step = 1 + (case * 97) % 5000;
            let (weight_decay, decoupled) = match case % 3 {
                0 => (0.0, false),
                1 => (0.01, false),
                _ => (0.01, true),
            };
            let c = constants(step, weight_decay, decoupled);
            let n = 1 + rng.below(700);
            let draw_n = |rng: &mut Rng| (0..n).map(|_| draw(rng)).collect::<Vec<f32>>();
            let grads = draw_n(&mut rng);
            let mut params = draw_n(&mut rng);
            let mut first = draw_n(&mut rng);
            // Second moments are never negative.
            let mut second: Vec<f32> = draw_n(&mut rng).iter().map(|v| v.abs()).collect();
            let (mut p_ref, mut m_ref, mut v_ref) = (params.clone(), first.clone(), second.clone());
            for i in 0..n {
                c.plain(&mut p_ref[i], grads[i], &mut m_ref[i], &mut v_ref[i]);
            }
            c.update(&mut params, &grads, &mut first, &mut second);
            let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<u32>>();
            assert_eq!(bits(&params), bits(&p_ref), "case {case}: parameters");
            assert_eq!(bits(&first), bits(&m_ref), "case {case}: first moments");
            assert_eq!(bits(&second), bits(&v_ref), "case {case}: second moments");
        }
    }

    #[test]
    fn a_dead_units_decaying_moments_follow_the_plain_arithmetic_for_thousands_of_steps() {
        // Gradient 0 from a live start: m decays through the subnormal range and sticks there.
        let (mut p, mut m, mut v) = ([0.3f32], [1e-3f32], [1e-6f32]);
        let (mut p_ref, mut m_ref, mut v_ref) = (p, m, v);
        let mut went_subnormal = false;
        for step in 1..=3000 {
            let c = constants(step, 0.0, false);
            c.update(&mut p, &[0.0], &mut m, &mut v);
            c.plain(&mut p_ref[0], 0.0, &mut m_ref[0], &mut v_ref[0]);
            assert_eq!(
                (p[0].to_bits(), m[0].to_bits(), v[0].to_bits()),
                (p_ref[0].to_bits(), m_ref[0].to_bits(), v_ref[0].to_bits()),
                "step {step}"
            );
            went_subnormal |= subnormal(m[0]);
        }
        assert!(went_subnormal, "the test must reach the subnormal range");
    }
}
