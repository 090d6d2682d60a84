package dev.vae.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The host log-gamma, digamma and trigamma against Apache Commons Math (an independent
 * implementation) and exact values, plus their conventions at poles and infinities.
 */
class CpuSpecialFunctionsTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  /** |actual - expected| within 1e-13 relative or 1e-14 absolute. */
  private static void assertNear(double actual, double expected, String what) {
    assertThat(Math.abs(actual - expected))
        .as("%s: got %s, expected %s", what, actual, expected)
        .isLessThanOrEqualTo(1e-14 + 1e-13 * Math.abs(expected));
  }

  /** {x, log|Γ(x)|, ψ(x), ψ₁(x)} to 20 digits, computed with mpmath at 40 digits. */
  private static final double[][] HIGH_PRECISION = {
      {1e-300, 690.77552789821370518, -9.9999999999999997494e+299, Double.POSITIVE_INFINITY},
      {1e-08, 18.420680738180208884, -100000000.57721564636, 10000000000000001.226},
      {0.001, 6.9071788853838536617, -1000.5755719318102797, 1000001.6425331958273},
      {0.1, 2.252712651734205902, -10.423754940411076232, 101.4332991507927477},
      {0.5, 0.57236494292470008707, -1.9635100260214234794, 4.9348022005446793094},
      {0.9999, 0.000057729791561193862808, -0.57738017032986912366, 1.6451745107027035599},
      {1.0001, -0.000057713342220471268005, -0.57705118351433486812, 1.644693687933144353},
      {1.4616321449683622, -0.1214862905358496081, -9.2412655217294275168e-17, 0.967672245447621255},
      {1.5, -0.12078223763524522235, 0.036489973978576520559, 0.93480220054467930942},
      {1.9999, -0.000042275208772153458011, 0.42271983967113096533, 0.64497448069870308191},
      {2.0001, 0.000042281658112919946317, 0.42284882648466538607, 0.64489365793714374133},
      {2.5, 0.28468287047291915963, 0.70315664064524318723, 0.49035775610023486497},
      {3.7, 1.4280723266653881292, 1.1671535393615114409, 0.31003785767003830216},
      {9.99, 12.77931521435019336, 2.250700372831201122, 0.10527695014824178439},
      {10.01, 12.824350262448247282, 2.2528037003181357367, 0.10505595320551509142},
      {21.043362647560755, 42.466640198152523048, 3.0226365915797404924, 0.048667918790604923393},
      {49.5, 142.6172828211459826, 3.8918376507263717826, 0.020407455046879992139},
      {1000.0, 5905.2204232091812118, 6.9072551956488120521, 0.0010005001666666333334},
      {100000000.0, 1742068066.1038347093, 18.420680738952365464, 1.0000000050000000167e-8},
      {-0.5, 1.2655121234846453965, 0.036489973978576520559, 8.9348022005446793094},
      {-1e-06, 13.815511135180761518, 999999.42278269020845, 1000000000001.645027},
      {-0.999, 6.9081793857174363282, -999.57457093080841129, 1000002.6445361980976},
      {-1.5, 0.86004701537648101451, 0.70315664064524318723, 9.3792466449891237539},
      {-2.4570247382208, 7.2925506126747032956e-16, 1.5156034480216619969, 9.7166419032679963154},
      {-3.2, -0.3724321361299686964, 5.6353702211726443926, 28.298186402194034695},
      {-7.0001, 0.6849774625489625238, 10002.015325828058851, 100000003.15719906991},
      {-9.5, -12.795895333554363459, 2.3030010342976863753, 9.7696874450302318856},
      {-19.99, -37.700078974962080724, -96.947062988729425278, 10003.241723010500066},
      {18.690822, 35.495894483702747685, 2.9010430316132564765, 0.054958947533051720227},
      {22.256192, 46.167692681568362432, 3.0799864026011746983, 0.04595583974859659254},
      {23.857855, 51.158343723687368841, 3.1510096756505262317, 0.042805615405361662743},
      {28.274084, 65.467280272560401781, 3.3241573578028545501, 0.036000899984178214589},
      {22.199558, 45.993334495262892936, 3.0773803473556469035, 0.046075738236996328249},
      {27.670527, 63.467567063609543944, 3.3021892470049774365, 0.03680043349902781398},
      {0.879867, 0.081969245612404644005, -0.79429589000435443775, 1.9890339570391767404},
      {13.974023, 22.484572847271794421, 2.6009928950171775227, 0.074182882790721445096},
      {-1.425516, 0.93867533119841604511, 1.4148072925266308249, 9.9217793400850002705},
      {-8.782126, -10.710565602957385809, -1.6210234057382554178, 24.581368636486391859},
      {-2.486497, -0.040477916653686816122, 1.2320351931576062836, 9.5555611551223478052},
      {-22.170983, -47.189449246556948493, 8.3960633470876767973, 37.650035197005434821},
      {-13.277964, -21.867767919627926499, 5.2562685565671921661, 16.72963370118480999},
      {-18.838145, -36.995239043201507341, -2.6742866086023474712, 41.587783768988509847},
      {-11.411416, -17.330562203519923257, 3.3753721168709823957, 10.591353132091122218},
      {-10.65721, -15.398144700509194783, 0.72100241281085950642, 12.640930134441649692}
  };

  @Test
  void matchHighPrecisionValues() {
    for (double[] row : HIGH_PRECISION) {
      double x = row[0];
      String[] names = {"lgamma", "digamma", "trigamma"};
      double[] got = {SpecialFunctions.lgamma(x), SpecialFunctions.digamma(x), SpecialFunctions.trigamma(x)};
      for (int f = 0; f < 3; f++) {
        double want = row[f + 1];
        if (Double.isInfinite(want)) {
          assertThat(got[f]).as("%s(%s)", names[f], x).isEqualTo(want);
        } else {
          assertThat(Math.abs(got[f] - want)).as("%s(%s): got %s, want %s", names[f], x, got[f], want)
              .isLessThanOrEqualTo(1e-14 + 4e-15 * Math.abs(want));
        }
      }
    }
  }

  @Test
  void logGammaAgreesWithCommonsMath() {
    // Commons Math 3.5's digamma and trigamma are truncated too early in their asymptotic series
    // (digamma is off by 3e-9 near 49; mpmath agrees with ours), so only its log-gamma serves as an
    // independent reference here.
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      double x = i % 2 == 0 ? Math.pow(10, -6 + 10 * random.nextDouble()) : 30 * random.nextDouble();
      assertNear(SpecialFunctions.lgamma(x), Gamma.logGamma(x), "lgamma(" + x + ")");
    }
  }

  @Test
  void digammaSatisfiesTheDuplicationFormula() {
    // ψ(2x) = ψ(x)/2 + ψ(x + 1/2)/2 + ln 2 ties the asymptotic series to the recurrence.
    Random random = new Random(23);
    for (int i = 0; i < 20_000; i++) {
      double x = Math.pow(10, -3 + 6 * random.nextDouble());
      double lhs = SpecialFunctions.digamma(2 * x);
      double rhs = SpecialFunctions.digamma(x) / 2 + SpecialFunctions.digamma(x + 0.5) / 2 + Math.log(2);
      assertThat(Math.abs(lhs - rhs)).as("x = %s", x).isLessThan(1e-14 * (1 + Math.abs(lhs) + Math.abs(1 / x)));
    }
  }

  @Test
  void negativeArgumentsSatisfyTheReflectionAndRecurrenceFormulas() {
    Random random = new Random(19);
    for (int i = 0; i < 20_000; i++) {
      double x = -20 * random.nextDouble();
      if (x == Math.rint(x)) {
        continue;
      }
      // Γ(x) = Γ(x + 1) / x, so log|Γ(x)| = log|Γ(x + 1)| − log|x|, and likewise for ψ and ψ₁.
      double lgammaNext = SpecialFunctions.lgamma(x + 1);
      assertThat(Math.abs(SpecialFunctions.lgamma(x) - (lgammaNext - Math.log(Math.abs(x)))))
          .as("lgamma(%s)", x).isLessThan(1e-11 * (1 + Math.abs(lgammaNext)));
      double digammaNext = SpecialFunctions.digamma(x + 1);
      assertThat(Math.abs(SpecialFunctions.digamma(x) - (digammaNext - 1 / x)))
          .as("digamma(%s)", x).isLessThan(1e-11 * (1 + Math.abs(digammaNext) + Math.abs(1 / x)));
      double trigammaNext = SpecialFunctions.trigamma(x + 1);
      assertThat(Math.abs(SpecialFunctions.trigamma(x) - (trigammaNext + 1 / (x * x))))
          .as("trigamma(%s)", x).isLessThan(1e-11 * (trigammaNext + 1 / (x * x)));
    }
  }

  @Test
  void knownValues() {
    double eulerGamma = 0.5772156649015329;
    assertNear(SpecialFunctions.lgamma(0.5), 0.5 * Math.log(Math.PI), "lgamma(1/2)");
    assertNear(SpecialFunctions.lgamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), "lgamma(-1/2)");
    assertNear(SpecialFunctions.lgamma(1e-300), -Math.log(1e-300) - eulerGamma * 1e-300, "lgamma(1e-300)");
    assertThat(SpecialFunctions.lgamma(Double.MIN_VALUE)).isCloseTo(744.4400719213812, org.assertj.core.api.Assertions.within(1e-12));
    assertNear(SpecialFunctions.digamma(1), -eulerGamma, "digamma(1)");
    assertNear(SpecialFunctions.digamma(0.5), -eulerGamma - 2 * Math.log(2), "digamma(1/2)");
    assertNear(SpecialFunctions.digamma(-0.5), -eulerGamma - 2 * Math.log(2) + 2, "digamma(-1/2)");
    assertNear(SpecialFunctions.trigamma(1), Math.PI * Math.PI / 6, "trigamma(1)");
    assertNear(SpecialFunctions.trigamma(0.5), Math.PI * Math.PI / 2, "trigamma(1/2)");
    assertNear(SpecialFunctions.trigamma(-0.5), Math.PI * Math.PI / 2 + 4, "trigamma(-1/2)");
  }

  /**
   * softplus from a float e^−|x| against log1p(exp(−|x|)) + max(x, 0) in double, for every magnitude
   * and densely near 0, where the series converges slowest.
   */
  @Test
  void float32SoftplusIsWithinAnUlpForEveryMagnitude() {
    Random random = new Random(37);
    for (int i = 0; i < 200_000; i++) {
      double magnitude = i % 2 == 0 ? 40 * random.nextDouble() : 0.01 * random.nextDouble();
      float x = (float) (random.nextBoolean() ? magnitude : -magnitude);
      float want = (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x))));
      float u = (float) Math.exp(-Math.abs((double) x));
      float got = (float) (Math.max(x, 0.0) + SpecialFunctions.log1pOfExpForFloat(u));
      assertThat(Math.abs(got - want)).as("softplus(%s)", x).isLessThanOrEqualTo(Math.ulp(want));
    }
    assertThat(SpecialFunctions.log1pOfExpForFloat(Math.exp(-200))).isCloseTo(Math.exp(-200), within(1e-100));
    assertThat(SpecialFunctions.log1pOfExpForFloat(0.0)).isZero();
    assertThat(SpecialFunctions.log1pOfExpForFloat(1.0)).isCloseTo(Math.log(2), within(3e-9));
    assertThat(SpecialFunctions.log1pOfExpForFloat(Double.NaN)).isNaN();
  }

  /** The float-only log1p of the Bernoulli kernel against log1p in double, over [0, 1] and near 0. */
  @Test
  void floatOnlyLog1pIsWithinFourUlps() {
    Random random = new Random(41);
    for (int i = 0; i < 200_000; i++) {
      float u = (float) (i % 2 == 0 ? random.nextDouble() : Math.exp(-100 * random.nextDouble()));
      double want = Math.log1p(u);
      assertThat((double) SpecialFunctions.log1pOfExpInFloat(u)).as("log1p(%s)", u)
          .isCloseTo(want, within(4 * (double) Math.ulp((float) want)));
    }
    assertThat(SpecialFunctions.log1pOfExpInFloat(0f)).isZero();
    assertThat(SpecialFunctions.log1pOfExpInFloat(1e-30f)).isEqualTo(1e-30f);
    assertThat(SpecialFunctions.log1pOfExpInFloat(Float.NaN)).isNaN();
  }

  @Test
  void floatExpOfNonPositiveArgumentsIsCorrectlyRoundedOrWithinAnUlp() {
    // Against e^y in double (error below 1e-16 relative) rounded once to float, over the whole
    // range where e^y is a normal or subnormal float and beyond, where it must round to 0.
    Random random = new Random(17);
    int exact = 0;
    int samples = 200_000;
    for (int i = 0; i < samples; i++) {
      float y = i < 1000 ? -i * 0.11f : (float) (-random.nextDouble() * 110);
      float expected = (float) Math.exp(y);
      float got = SpecialFunctions.expOfNonPositive(y);
      assertThat(Math.abs(got - expected)).as("e^%s", y).isLessThanOrEqualTo(Math.ulp(expected));
      exact += got == expected ? 1 : 0;
    }
    assertThat(exact).as("correctly rounded results").isGreaterThan(samples * 99 / 100);
    assertThat(SpecialFunctions.expOfNonPositive(0f)).isEqualTo(1f);
    assertThat(SpecialFunctions.expOfNonPositive(-0f)).isEqualTo(1f);
    assertThat(SpecialFunctions.expOfNonPositive(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
    assertThat(SpecialFunctions.expOfNonPositive(-104f)).isEqualTo(0f);
    assertThat(SpecialFunctions.expOfNonPositive(-103f)).isEqualTo((float) Math.exp(-103)).isPositive();
    assertThat(SpecialFunctions.expOfNonPositive(Float.NaN)).isNaN();
  }

  @Test
  void branchFreeSigmoidFromExpPicksItsNumeratorAsTheComparisonDoes() {
    float[] xs = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, 3f, -3f, 90f, -90f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (float x : xs) {
      float u = (float) Math.exp(-Math.abs(x));
      float expected = (x >= 0 ? 1f : u) / (1f + u);
      assertThat(SpecialFunctions.sigmoidFromExp(x, u)).as("sigmoid(%s)", x).isEqualTo(expected);
    }
    assertThat(SpecialFunctions.sigmoidFromExp(Float.NaN, Float.NaN)).isNaN();
  }

  @Test
  void polesAndInfinitiesFollowScipy() {
    for (double pole : new double[] {0.0, -0.0, -1, -2, -1e20}) {
      assertThat(SpecialFunctions.lgamma(pole)).isEqualTo(INF);
      assertThat(SpecialFunctions.trigamma(pole)).isEqualTo(INF);
    }
    assertThat(SpecialFunctions.lgamma(INF)).isEqualTo(INF);
    assertThat(SpecialFunctions.lgamma(-INF)).isEqualTo(INF);
    assertThat(SpecialFunctions.digamma(0.0)).isEqualTo(-INF);
    assertThat(SpecialFunctions.digamma(-0.0)).isEqualTo(INF);
    assertThat(SpecialFunctions.digamma(-3)).isNaN();
    assertThat(SpecialFunctions.digamma(-INF)).isNaN();
    assertThat(SpecialFunctions.digamma(INF)).isEqualTo(INF);
    assertThat(SpecialFunctions.trigamma(INF)).isZero();
    assertThat(SpecialFunctions.trigamma(-INF)).isNaN();
    assertThat(SpecialFunctions.lgamma(NAN)).isNaN();
    assertThat(SpecialFunctions.digamma(NAN)).isNaN();
    assertThat(SpecialFunctions.trigamma(NAN)).isNaN();
  }
}
