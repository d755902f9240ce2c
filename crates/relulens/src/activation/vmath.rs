//! Branch-free exp, expm1, ln(1 + x), tanh, erf and erfc for `f32` and `f64`, written so that the
//! compiler vectorises them inside the slice kernels' loops.
//!
//! `libm`'s functions branch on the argument and look up tables, so a loop that calls them runs one
//! element at a time. These are plain arithmetic on the value and its bits: every branch of the
//! classic algorithms is computed and the answer *selected*, which LLVM turns into vector blends.
//! The [`Float`] trait's transcendental methods are these functions, so the scalar definitions and
//! the AVX2 loops compute the same bits (no `mul_add`: an FMA on one path and not the other would
//! break that).
//!
//! Sources (coefficients are theirs; the branch-free arrangement is this module's):
//! - exp, expm1: Cody–Waite reduction x = k·ln2 + r, |r| ≤ ln2/2, with the split of ln 2 from Cephes
//!   (`expf.c`, f32) and fdlibm (`e_exp.c`, f64); e^r − 1 − r = r²·P(r) with SLEEF's minimax P
//!   (`xexpf`/`xexp`, the u10 functions), then 2^k·(1 + u) − 1 assembled with exact two-sums;
//! - ln(1 + x): fdlibm's `s_log1p.c` (Lg1–Lg7) and FreeBSD's `s_log1pf.c` (Lg1–Lg4);
//! - tanh: from expm1 as in fdlibm's `s_tanh.c`;
//! - erf, erfc: fdlibm's `s_erf.c` (and its f32 port `s_erff.c`): four regions, the two tails as
//!   exp(−x² − 0.5625 + R/S)/|x| with −x² split so that the exponential's argument is exact.
//!
//! Accuracy (see `tests/vmath.rs`: f32 over all 2^32 inputs against libm in f64, f64 over samples
//! of each domain against 160-bit mpmath): in f32, exp, ln_1p and erf within 1 ulp, expm1 within
//! 1.01, tanh within 1.3 and erfc within 2.4 ulp; in f64, exp within 0.6, expm1, ln_1p and erf
//! within 0.8, tanh within 1.2 and erfc within 1.9 ulp. Special values are exact: NaN gives NaN,
//! ±inf give the limits, results overflow and underflow (through the subnormals) where the true value
//! does, and -0.0 gives -0.0 where the function is odd (expm1, ln_1p, tanh, erf).
//!
//! ```
//! use relulens::activation::Float;
//! assert_eq!(Float::exp(0.0f32), 1.0);
//! assert_eq!(Float::exp_m1(-0.0f64).to_bits(), (-0.0f64).to_bits());
//! assert_eq!(Float::erfc(f32::NEG_INFINITY), 2.0);
//! assert!(Float::ln_1p(-2.0f64).is_nan());
//! ```

use super::float::Float;

/// What the generic algorithms need to know about a type: its constants and coefficients, and the
/// few operations on its bits.
pub(crate) trait Ieee: Float {
    /// 1.5·2^(mantissa bits): adding and subtracting it rounds to an integer, ties to even.
    const ROUND: Self;
    /// A not-a-number.
    const NAN: Self;
    /// Below this magnitude expm1(x) and ln(1 + x) round to x.
    const TINY: Self;
    /// The largest finite power of two's exponent (127, 1023).
    const MAX_EXPONENT: Self;
    /// exp's argument is clamped to [EXP_MIN, EXP_MAX], past the underflow and overflow thresholds.
    const EXP_MIN: Self;
    /// See [`Self::EXP_MIN`].
    const EXP_MAX: Self;
    /// Below this, expm1 rounds to -1.
    const EXPM1_MIN: Self;
    /// ln 2 = LN2_HI + LN2_LO, with k·LN2_HI exact for every k the clamps allow.
    const LN2_HI: Self;
    /// See [`Self::LN2_HI`].
    const LN2_LO: Self;
    /// P in e^r = 1 + r + r²·P(r), ascending.
    const EXP_P: &'static [Self];
    /// ln 2 split for ln_1p (k·LN2_HI exact for the exponents of 1 + x).
    const LOG_LN2_HI: Self;
    /// See [`Self::LOG_LN2_HI`].
    const LOG_LN2_LO: Self;
    /// R in ln((1 + s)/(1 − s)) = 2s + s·z·R(z), z = s², ascending.
    const LOG_LG: &'static [Self];
    /// From this exponent of 1 + x on, the rounding error of 1 + x no longer matters.
    const LOG_MAX_CORRECTED: Self;
    /// erf(1) rounded to 24 bits, fdlibm's `erx`.
    const ERX: Self;
    /// erf on [0, 0.84375): erf(x) = x + x·PP(x²)/QQ(x²), ascending, QQ with its leading 1.
    const ERF_PP: &'static [Self];
    /// See [`Self::ERF_PP`].
    const ERF_QQ: &'static [Self];
    /// erf on [0.84375, 1.25): erf(x) = erx + PA(s)/QA(s), s = x − 1.
    const ERF_PA: &'static [Self];
    /// See [`Self::ERF_PA`].
    const ERF_QA: &'static [Self];
    /// erfc on [1.25, 1/0.35): x·erfc(x) = exp(−x² − 0.5625 + RA(w)/SA(w)), w = 1/x².
    const ERFC_RA: &'static [Self];
    /// See [`Self::ERFC_RA`].
    const ERFC_SA: &'static [Self];
    /// erfc on [1/0.35, ∞), as above (padded with zeros to the length of RA and SA).
    const ERFC_RB: &'static [Self];
    /// See [`Self::ERFC_RB`].
    const ERFC_SB: &'static [Self];
    /// erfc's argument is clamped here, where it has underflowed to 0.
    const ERFC_MAX: Self;

    /// 2^k for an integral k in the normal exponent range.
    fn exp2i(k: Self) -> Self;
    /// u = 2^k·m with m in [√2/2, √2), for positive normal u: (k, m).
    fn log_reduce(u: Self) -> (Self, Self);
    /// The value with all but its top 9 significant bits cleared.
    fn high_bits(self) -> Self;
    /// |x|.
    fn abs(self) -> Self;
    /// |x| with the sign of `sign`.
    fn copysign(self, sign: Self) -> Self;
}

/// A constant of the type (rounded to nearest, folded at compile time).
#[inline(always)]
fn c<T: Float>(v: f64) -> T {
    T::from_f64(v)
}

/// Horner's rule, coefficients ascending. The slices are constants, so the loop unrolls.
#[inline(always)]
fn poly<T: Float>(x: T, coefficients: &[T]) -> T {
    let (last, rest) = coefficients
        .split_last()
        .expect("a polynomial has a coefficient");
    rest.iter().rev().fold(*last, |acc, &ci| acc * x + ci)
}

/// Horner's rule with the coefficients of `a` where `use_a` holds and of `b` elsewhere: one
/// evaluation with blended coefficients instead of two evaluations and a blend.
#[inline(always)]
fn poly_select<T: Float>(x: T, use_a: bool, a: &[T], b: &[T]) -> T {
    debug_assert_eq!(a.len(), b.len());
    let pick = |i: usize| if use_a { a[i] } else { b[i] };
    let n = a.len();
    (0..n - 1)
        .rev()
        .fold(pick(n - 1), |acc, i| acc * x + pick(i))
}

/// s + err = a + b exactly (Knuth's two-sum: no condition on the magnitudes).
#[inline(always)]
fn two_sum<T: Float>(a: T, b: T) -> (T, T) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// Nearest integer, ties to even, for |x| < 2^(mantissa bits − 1).
#[inline(always)]
fn rint<T: Ieee>(x: T) -> T {
    (x + T::ROUND) - T::ROUND
}

/// x limited to [lo, hi], NaN kept (written as comparisons: `min`/`max` would drop the NaN).
#[inline(always)]
fn clamp<T: Float>(x: T, lo: T, hi: T) -> T {
    let x = if x < lo { lo } else { x };
    if x > hi {
        hi
    } else {
        x
    }
}

/// Cody–Waite reduction: (k, r, r_err) with x = k·ln2 + r + r_err, |r| ≤ ln2/2, k integral.
/// x − k·LN2_HI is exact (Sterbenz), so r + r_err misses x − k·ln2 only by the rounding of
/// k·LN2_LO, under 0.05 ulp of e^x.
#[inline(always)]
fn reduce<T: Ieee>(x: T) -> (T, T, T) {
    let k = rint(x * c(core::f64::consts::LOG2_E));
    let (r, r_err) = two_sum(x - k * T::LN2_HI, -(k * T::LN2_LO));
    (k, r, r_err)
}

/// q with e^(r + r_err) − 1 = r + q, for |r| ≤ ln2/2 and a tiny r_err.
#[inline(always)]
fn expm1_tail<T: Ieee>(r: T, r_err: T) -> T {
    r * r * poly(r, T::EXP_P) + (r_err + r * r_err)
}

/// p·2^k, with 2^k applied in two halves so that neither overflows nor goes subnormal: the first
/// product is exact and the second rounds once, also into the subnormals.
#[inline(always)]
fn scale<T: Ieee>(p: T, k: T) -> T {
    let k1 = rint(k * T::HALF);
    p * T::exp2i(k1) * T::exp2i(k - k1)
}

/// e^(r + r_err) for |r| ≤ ln2/2, with 1 + r kept exact until the last rounding.
#[inline(always)]
fn exp_kernel<T: Ieee>(r: T, r_err: T) -> T {
    let (one_r, one_r_err) = two_sum(T::ONE, r);
    one_r + (one_r_err + expm1_tail(r, r_err))
}

/// e^x.
#[inline(always)]
pub(crate) fn exp<T: Ieee>(x: T) -> T {
    let (k, r, r_err) = reduce(clamp(x, T::EXP_MIN, T::EXP_MAX));
    scale(exp_kernel(r, r_err), k)
}

/// e^x − 1 as hi + lo, hi the rounded value and lo its rounding error (before the small-argument
/// shortcut of [`exp_m1`]).
#[inline(always)]
fn exp_m1_split<T: Ieee>(x: T) -> (T, T) {
    let (k, r, r_err) = reduce(clamp(x, T::EXPM1_MIN, T::EXP_MAX));
    let q = expm1_tail(r, r_err);
    // e^x − 1 = (t − 1) + t·r + t·q with t = 2^k: the first two sums are kept exact, so the only
    // rounding that counts is the last one. At the overflow edge k is one past the largest power of
    // two, which is put back as a final doubling.
    let k_max = if k > T::MAX_EXPONENT {
        T::MAX_EXPONENT
    } else {
        k
    };
    let t = T::exp2i(k_max);
    let (a, a_err) = two_sum(t, -T::ONE);
    let (b, b_err) = two_sum(a, t * r);
    let (hi, lo) = two_sum(b, (a_err + b_err) + t * q);
    let doubling = T::exp2i(k - k_max);
    (hi * doubling, lo * doubling)
}

/// e^x − 1, accurate near 0.
#[inline(always)]
pub(crate) fn exp_m1<T: Ieee>(x: T) -> T {
    let (hi, _) = exp_m1_split(x);
    if x.abs() < T::TINY {
        x
    } else {
        hi
    }
}

/// ln(1 + x), accurate near 0.
#[inline(always)]
pub(crate) fn ln_1p<T: Ieee>(x: T) -> T {
    let u = T::ONE + x;
    let (k, m) = T::log_reduce(u);
    // ln(1 + x) = ln(u) + c/u, with c = (1 + x) − u the rounding error of u.
    let c_u = if k >= c(2.0) {
        T::ONE - (u - x)
    } else {
        x - (u - T::ONE)
    };
    let c_u = if k < T::LOG_MAX_CORRECTED {
        c_u / u
    } else {
        T::ZERO
    };
    // Where 1 + x is already in [√2/2, √2) no reduction is needed, and x itself is exact.
    let near_zero =
        x < c(core::f64::consts::SQRT_2 - 1.0) && x > c(core::f64::consts::FRAC_1_SQRT_2 - 1.0);
    let (k, f, c_u) = if near_zero {
        (T::ZERO, x, T::ZERO)
    } else {
        (k, m - T::ONE, c_u)
    };
    let s = f / (c::<T>(2.0) + f);
    let z = s * s;
    let r = z * poly(z, T::LOG_LG);
    let hfsq = T::HALF * f * f;
    let y = s * (hfsq + r) + (k * T::LOG_LN2_LO + c_u) - hfsq + f + k * T::LOG_LN2_HI;
    let y = if x == T::INFINITY { x } else { y };
    let y = if x.abs() < T::TINY { x } else { y };
    let y = if x == -T::ONE { -T::INFINITY } else { y };
    let y = if x < -T::ONE { T::NAN } else { y };
    if x.is_nan() {
        x
    } else {
        y
    }
}

/// Hyperbolic tangent: with e = expm1(2|x|), tanh|x| = e/(e + 2) = 1 − 2/(e + 2), the second form
/// where the result exceeds 1/2.
///
/// e and e + 2 are carried as unrounded sums hi + lo, and the quotient is corrected for their low
/// parts: n/(d + d_lo) ≈ q + (n_lo − q·d_lo)/d with q = n/d, so only the division rounds.
#[inline(always)]
pub(crate) fn tanh<T: Ieee>(x: T) -> T {
    let a = x.abs();
    let (e, e_lo) = exp_m1_split(a + a);
    let (d, d_err) = two_sum(e, c(2.0));
    let d_lo = d_err + e_lo;
    let above_half = a > c(0.549_306_144_334_054_8); // ln(3)/2, where tanh = 1/2
    let (n, n_lo) = if above_half {
        (c(2.0), T::ZERO)
    } else {
        (e, e_lo)
    };
    let q = n / d;
    let correction = (n_lo - q * d_lo) / d;
    let t = if above_half {
        (T::ONE - q) - correction
    } else {
        q + correction
    };
    // Past the overflow of e, d_lo is NaN (inf − inf); the limit is 1.
    let t = if e == T::INFINITY { T::ONE } else { t };
    t.copysign(x)
}

/// The pieces erf and erfc are assembled from: (|x|, y, pq, tail) with, by region of |x|,
/// [0, 0.84375): erf(x) = x + x·y; [0.84375, 1.25): erf(|x|) = erx + pq;
/// [1.25, ∞): erfc(|x|) = tail.
#[inline(always)]
fn erf_pieces<T: Ieee>(x: T) -> (T, T, T, T) {
    let a = x.abs();
    let z = x * x;
    let y = poly(z, T::ERF_PP) / poly(z, T::ERF_QQ);
    let s = a - T::ONE;
    let pq = poly(s, T::ERF_PA) / poly(s, T::ERF_QA);
    // Tail: clamping keeps ±inf out of the split below (NaN passes through and stays NaN).
    let a_t = clamp(a, T::ONE, T::ERFC_MAX);
    let w = T::ONE / (a_t * a_t);
    let near = a_t < c(1.0 / 0.35);
    let rs =
        poly_select(w, near, T::ERFC_RA, T::ERFC_RB) / poly_select(w, near, T::ERFC_SA, T::ERFC_SB);
    // The exponent −a² − 0.5625 + R/S is reduced as in `reduce` but summed without rounding: with
    // h the top 9 bits of a and d = a − h, −h² − 0.5625, 2h·d and hi − k·LN2_HI are exact, and only
    // the tiny d² and k·LN2_LO round.
    let h = a_t.high_bits();
    let d = a_t - h;
    let hi = -(h * h) - c(0.5625);
    let mid = -((h + h) * d);
    let k = rint((hi + (mid + rs)) * c(core::f64::consts::LOG2_E));
    let (s1, e1) = two_sum(hi - k * T::LN2_HI, mid);
    let (s2, e2) = two_sum(s1, rs);
    let (r, e3) = two_sum(s2, -(d * d) - k * T::LN2_LO);
    // Dividing by a before scaling keeps a subnormal result to one rounding.
    let tail = scale(exp_kernel(r, (e1 + e2) + e3) / a_t, k);
    (a, y, pq, tail)
}

/// The error function.
#[inline(always)]
pub(crate) fn erf<T: Ieee>(x: T) -> T {
    let (a, y, pq, tail) = erf_pieces(x);
    let outer = if a < c(1.25) {
        T::ERX + pq
    } else {
        T::ONE - tail
    };
    if a < c(0.84375) {
        x + x * y
    } else {
        outer.copysign(x)
    }
}

/// The complementary error function 1 − erf(x).
#[inline(always)]
pub(crate) fn erfc<T: Ieee>(x: T) -> T {
    let (a, y, pq, tail) = erf_pieces(x);
    // 1 − x − x·y, with 1 − x exact as a two-sum: near 0.84375, where the result falls to 0.23,
    // rounding 1 − x alone would cost most of an ulp.
    let (one_x, one_x_err) = two_sum(T::ONE, -x);
    let inner = one_x + (one_x_err - x * y);
    let negative = x < T::ZERO;
    let middle = if negative {
        T::ONE + (T::ERX + pq)
    } else {
        (T::ONE - T::ERX) - pq
    };
    let outer = if negative { c::<T>(2.0) - tail } else { tail };
    if a < c(0.84375) {
        inner
    } else if a < c(1.25) {
        middle
    } else {
        outer
    }
}

#[allow(clippy::excessive_precision)]
impl Ieee for f32 {
    const ROUND: Self = 12_582_912.0; // 1.5·2^23
    const NAN: Self = f32::NAN;
    const TINY: Self = 5.960_464_5e-8; // 2^-24
    const MAX_EXPONENT: Self = 127.0;
    const EXP_MIN: Self = -104.0;
    const EXP_MAX: Self = 89.0;
    const EXPM1_MIN: Self = -18.0;
    // Cephes expf.c: C1 has 9 significant bits.
    const LN2_HI: Self = 0.693_359_375;
    const LN2_LO: Self = -2.121_944_40e-4;
    // SLEEF xexpf.
    const EXP_P: &'static [Self] = &[
        0.5,
        0.166_666_671_633_720_397_949_219,
        0.041_666_485_369_205_474_853_515_6,
        0.008_333_360_776_305_198_669_433_59,
        0.001_393_043_552_525_341_510_772_71,
        0.000_198_527_617_612_853_646_278_381,
    ];
    // FreeBSD s_log1pf.c.
    const LOG_LN2_HI: Self = 6.931_381_225_6e-1; // 0x3f317180
    const LOG_LN2_LO: Self = 9.058_000_614_5e-6; // 0x3717f7d1
    const LOG_LG: &'static [Self] = &[
        0.666_666_626_93, // 0xaaaaaa.0p-24
        0.400_009_721_52, // 0xccce13.0p-25
        0.284_987_866_88, // 0x91e9ee.0p-25
        0.242_790_788_41, // 0xf89e26.0p-26
    ];
    const LOG_MAX_CORRECTED: Self = 25.0;
    // FreeBSD s_erff.c (fdlibm's coefficients rounded to f32).
    const ERX: Self = 8.450_629_115_1e-1;
    const ERF_PP: &'static [Self] = &[
        1.283_791_661_3e-1,
        -3.250_420_987_6e-1,
        -2.848_174_981_8e-2,
        -5.770_270_247_0e-3,
        -2.376_301_745_2e-5,
    ];
    const ERF_QQ: &'static [Self] = &[
        1.0,
        3.979_172_110_6e-1,
        6.502_225_250_0e-2,
        5.081_306_211_7e-3,
        1.324_947_370_4e-4,
        -3.960_228_241_3e-6,
    ];
    const ERF_PA: &'static [Self] = &[
        -2.362_118_568_3e-3,
        4.148_561_060_4e-1,
        -3.722_078_800_2e-1,
        3.183_466_196_1e-1,
        -1.108_946_949_2e-1,
        3.547_830_507_2e-2,
        -2.166_375_517_8e-3,
    ];
    const ERF_QA: &'static [Self] = &[
        1.0,
        1.064_208_820_5e-1,
        5.403_979_420_7e-1,
        7.182_865_589_9e-2,
        1.261_712_163_7e-1,
        1.363_708_358_3e-2,
        1.198_450_010_3e-2,
    ];
    const ERFC_RA: &'static [Self] = &[
        -9.864_944_033_3e-3,
        -6.938_585_639_0e-1,
        -1.055_862_617_5e1,
        -6.237_533_187_9e1,
        -1.623_966_674_8e2,
        -1.846_050_872_8e2,
        -8.128_743_743_9e1,
        -9.814_329_147_3,
    ];
    const ERFC_SA: &'static [Self] = &[
        1.0,
        1.965_127_182_0e1,
        1.376_577_606_2e2,
        4.345_658_874_5e2,
        6.453_872_680_7e2,
        4.290_081_481_9e2,
        1.086_350_021_4e2,
        6.570_249_557_5,
        -6.042_441_353_2e-2,
    ];
    const ERFC_RB: &'static [Self] = &[
        -9.864_943_102_0e-3,
        -7.992_832_660_7e-1,
        -1.775_795_555_1e1,
        -1.606_363_830_6e2,
        -6.375_664_672_9e2,
        -1.025_095_092_8e3,
        -4.835_191_955_6e2,
        0.0,
    ];
    const ERFC_SB: &'static [Self] = &[
        1.0,
        3.033_806_037_9e1,
        3.257_925_109_9e2,
        1.536_729_614_3e3,
        3.199_858_154_3e3,
        2.553_050_293_0e3,
        4.745_285_339_4e2,
        -2.244_095_230_1e1,
        0.0,
    ];
    const ERFC_MAX: Self = 11.0;

    #[inline(always)]
    fn exp2i(k: Self) -> Self {
        // k + 2^23 + 127 holds the biased exponent in its low bits; shifting them into place drops
        // the rest.
        f32::from_bits((k + 8_388_735.0).to_bits() << 23)
    }
    #[inline(always)]
    fn log_reduce(u: Self) -> (Self, Self) {
        // Offsetting the bits by 1 − √2/2 makes the exponent field round at √2 instead of 2.
        let bits = u.to_bits().wrapping_add(0x3f80_0000 - 0x3f35_04f3);
        let k = f32::from_bits((bits >> 23) | 0x4b00_0000) - 8_388_735.0;
        let m = f32::from_bits((bits & 0x007f_ffff) + 0x3f35_04f3);
        (k, m)
    }
    #[inline(always)]
    fn high_bits(self) -> Self {
        f32::from_bits(self.to_bits() & 0xffff_8000)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f32::copysign(self, sign)
    }
}

#[allow(clippy::excessive_precision)]
impl Ieee for f64 {
    const ROUND: Self = 6_755_399_441_055_744.0;
    const NAN: Self = f64::NAN;
    const TINY: Self = 1.110_223_024_625_156_5e-16; // 2^-53
    const MAX_EXPONENT: Self = 1023.0;
    const EXP_MIN: Self = -746.0;
    const EXP_MAX: Self = 710.0;
    const EXPM1_MIN: Self = -38.0;
    // fdlibm e_exp.c: ln2HI has 32 significant bits.
    const LN2_HI: Self = 6.931_471_803_691_238_164_90e-1;
    const LN2_LO: Self = 1.908_214_929_270_587_700_02e-10;
    // SLEEF xexp.
    const EXP_P: &'static [Self] = &[
        0.5,
        0.166_666_666_666_666_851_703_837,
        0.041_666_666_666_666_504_759_142_2,
        0.008_333_333_333_316_527_216_649_84,
        0.001_388_888_888_897_744_922_079_62,
        0.000_198_412_698_960_509_205_564_975,
        2.480_158_715_923_547_299_879_1e-5,
        2.755_723_629_119_288_276_294_23e-6,
        2.755_739_112_349_004_718_933_38e-7,
        2.511_129_308_928_765_186_106_61e-8,
        2.088_606_211_072_836_875_363_41e-9,
    ];
    // fdlibm s_log1p.c.
    const LOG_LN2_HI: Self = 6.931_471_803_691_238_164_90e-1;
    const LOG_LN2_LO: Self = 1.908_214_929_270_587_700_02e-10;
    const LOG_LG: &'static [Self] = &[
        6.666_666_666_666_735_130e-1,
        3.999_999_999_940_941_908e-1,
        2.857_142_874_366_239_149e-1,
        2.222_219_843_214_978_396e-1,
        1.818_357_216_161_805_012e-1,
        1.531_383_769_920_937_332e-1,
        1.479_819_860_511_658_591e-1,
    ];
    const LOG_MAX_CORRECTED: Self = 54.0;
    // fdlibm s_erf.c.
    const ERX: Self = 8.450_629_115_104_675_292_97e-1;
    const ERF_PP: &'static [Self] = &[
        1.283_791_670_955_125_585_61e-1,
        -3.250_421_072_470_014_993_70e-1,
        -2.848_174_957_559_851_047_66e-2,
        -5.770_270_296_489_441_591_57e-3,
        -2.376_301_665_665_016_260_84e-5,
    ];
    const ERF_QQ: &'static [Self] = &[
        1.0,
        3.979_172_239_591_553_528_19e-1,
        6.502_224_998_876_729_444_85e-2,
        5.081_306_281_875_765_627_76e-3,
        1.324_947_380_043_216_445_26e-4,
        -3.960_228_278_775_368_123_20e-6,
    ];
    const ERF_PA: &'static [Self] = &[
        -2.362_118_560_752_659_440_77e-3,
        4.148_561_186_837_483_316_66e-1,
        -3.722_078_760_357_013_238_47e-1,
        3.183_466_199_011_617_536_74e-1,
        -1.108_946_942_823_966_774_76e-1,
        3.547_830_432_561_823_593_71e-2,
        -2.166_375_594_868_790_843_00e-3,
    ];
    const ERF_QA: &'static [Self] = &[
        1.0,
        1.064_208_804_008_442_282_86e-1,
        5.403_979_177_021_710_489_37e-1,
        7.182_865_441_419_626_628_68e-2,
        1.261_712_198_087_616_421_12e-1,
        1.363_708_391_202_905_073_62e-2,
        1.198_449_984_679_910_741_70e-2,
    ];
    const ERFC_RA: &'static [Self] = &[
        -9.864_944_034_847_148_227_05e-3,
        -6.938_585_727_071_817_643_72e-1,
        -1.055_862_622_532_329_098_14e1,
        -6.237_533_245_032_600_603_96e1,
        -1.623_966_694_625_734_703_55e2,
        -1.846_050_929_067_110_359_94e2,
        -8.128_743_550_630_659_342_46e1,
        -9.814_329_344_169_145_485_92,
    ];
    const ERFC_SA: &'static [Self] = &[
        1.0,
        1.965_127_166_743_925_712_92e1,
        1.376_577_541_435_190_426_00e2,
        4.345_658_774_752_292_288_21e2,
        6.453_872_717_332_678_803_36e2,
        4.290_081_400_275_678_333_86e2,
        1.086_350_055_417_794_351_34e2,
        6.570_249_770_319_281_701_35,
        -6.042_441_521_485_809_874_38e-2,
    ];
    const ERFC_RB: &'static [Self] = &[
        -9.864_942_924_700_099_285_97e-3,
        -7.992_832_376_805_230_065_74e-1,
        -1.775_795_491_775_475_198_89e1,
        -1.606_363_848_558_219_160_62e2,
        -6.375_664_433_683_896_277_22e2,
        -1.025_095_131_611_077_249_54e3,
        -4.835_191_916_086_513_970_19e2,
        0.0,
    ];
    const ERFC_SB: &'static [Self] = &[
        1.0,
        3.033_806_074_348_245_829_24e1,
        3.257_925_129_965_739_188_26e2,
        1.536_729_586_084_436_959_94e3,
        3.199_858_219_508_595_539_08e3,
        2.553_050_406_433_164_425_83e3,
        4.745_285_412_069_553_672_15e2,
        -2.244_095_244_658_581_833_62e1,
        0.0,
    ];
    const ERFC_MAX: Self = 28.0;

    #[inline(always)]
    fn exp2i(k: Self) -> Self {
        f64::from_bits((k + 4_503_599_627_371_519.0).to_bits() << 52)
    }
    #[inline(always)]
    fn log_reduce(u: Self) -> (Self, Self) {
        let bits = u.to_bits().wrapping_add((0x3ff0_0000 - 0x3fe6_a09e) << 32);
        let k = f64::from_bits((bits >> 52) | 0x4330_0000_0000_0000) - 4_503_599_627_371_519.0;
        let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) + 0x3fe6_a09e_0000_0000);
        (k, m)
    }
    #[inline(always)]
    fn high_bits(self) -> Self {
        f64::from_bits(self.to_bits() & 0xffff_f000_0000_0000)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f64::copysign(self, sign)
    }
}
