package org.diffusiontck.checks.reference;

import java.util.EnumSet;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.InversionEnd;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.elbo.DiscretizedGaussian;
import org.diffusiontck.reference.elbo.GaussianKl;
import org.diffusiontck.reference.elbo.NormalCdf;
import org.diffusiontck.reference.elbo.VariationalBound;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.posterior.Posterior;
import org.diffusiontck.reference.posterior.T1LogVariance;
import org.diffusiontck.reference.reverse.ReverseVariance;
import org.diffusiontck.reference.sampling.DdimEpsilon;
import org.diffusiontck.reference.sampling.DdimSampler;
import org.diffusiontck.reference.sampling.DdimStep;
import org.diffusiontck.reference.sampling.DdpmStep;
import org.diffusiontck.reference.sampling.FinalAlphaBar;
import org.diffusiontck.reference.sampling.InversionModelTime;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.diffusiontck.reference.sampling.PreviousTimestep;
import org.diffusiontck.reference.sampling.StepListener;
import org.diffusiontck.reference.sampling.Timesteps;
import org.diffusiontck.reference.sampling.X0Clipping;
import org.diffusiontck.reference.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The reference presented as an implementation under test: every request is one reference call. */
public class ReferenceImplementation implements DiffusionImplementation {
  private final Conventions conventions;

  /** The reference under its default conventions. */
  public ReferenceImplementation() {
    this(Conventions.defaults());
  }

  /** The reference under the given conventions. */
  public ReferenceImplementation(Conventions conventions) {
    Tensors.useDoubles();
    this.conventions = conventions;
  }

  @Override
  public Declaration declaration() {
    return new Declaration("reference", Dtype.FLOAT64, EnumSet.allOf(Operation.class),
        EnumSet.allOf(ScheduleKind.class), true, EnumSet.allOf(Prediction.class),
        EnumSet.allOf(VarianceChoice.class), EnumSet.allOf(Spacing.class),
        EnumSet.allOf(Clipping.Kind.class), conventions);
  }

  /** The reference schedule for a request's spec, under the declared conventions. */
  protected NoiseSchedule schedule(ScheduleSpec spec) {
    return ReferenceSchedules.of(spec, conventions.linearEndpoints());
  }

  @Override
  public ScheduleTables schedule(Requests.Schedule r) {
    NoiseSchedule s = schedule(r.schedule());
    double[] snr = new double[s.T() + 1];
    for (int t = 0; t <= s.T(); t++) {
      snr[t] = s.snr(t);
    }
    return new ScheduleTables(s.betas(), s.alphaBars(), snr);
  }

  @Override
  public Tensor forwardSample(Requests.ForwardSample r) {
    ForwardProcess q = new ForwardProcess(schedule(r.schedule()));
    INDArray xs = Nd.of(r.xs());
    return Nd.of(q.transition(xs, r.s(), r.t()).sample(Nd.of(r.eps())));
  }

  @Override
  public PosteriorResult posterior(Requests.Posterior r) {
    Posterior p = new Posterior(schedule(r.schedule()));
    INDArray mean = p.mean(Nd.of(r.xt()), Nd.of(r.x0()), r.t(), r.s());
    double[] variance = new double[r.t().length];
    for (int b = 0; b < variance.length; b++) {
      variance[b] = p.variance(r.t()[b], r.s()[b]);
    }
    return new PosteriorResult(Nd.of(mean), variance);
  }

  @Override
  public Tensor convert(Requests.Convert r) {
    Parameterization p = new Parameterization(schedule(r.schedule()));
    return Nd.of(Conversions.convert(p, r.from(), r.to(), Nd.of(r.xt()), r.t(), Nd.of(r.value())));
  }

  @Override
  public Tensor noise(Requests.Noise r) {
    return Nd.of(new PortableNoise(r.seed(), r.stream()).normal(r.shape()));
  }

  @Override
  public Tensor reverseLogVariance(Requests.ReverseLogVariance r) {
    ReverseVariance v = new ReverseVariance(schedule(r.schedule()), choice(r.choice()),
        t1LogVariance());
    return Nd.of(v.logVariance(Nd.of(r.xt()), r.t(), optional(r.varianceOutput())));
  }

  @Override
  public double[] kl(Requests.Kl r) {
    return GaussianKl.perSample(Nd.of(r.mean1()), Nd.of(r.logVariance1()), Nd.of(r.mean2()),
        Nd.of(r.logVariance2()));
  }

  @Override
  public double[] priorTerm(Requests.PriorTerm r) {
    return bound(r.schedule(), VarianceChoice.FIXED_SMALL).priorTerm(Nd.of(r.x0()));
  }

  @Override
  public double[] stepTerm(Requests.StepTerm r) {
    NoiseSchedule s = schedule(r.schedule());
    INDArray xt = Nd.of(r.xt());
    INDArray x0Hat = prediction(r.prediction()).toX0(
        new Parameterization(s), xt, r.t(), Nd.of(r.modelOutput()));
    return bound(r.schedule(), r.choice())
        .stepTerm(Nd.of(r.x0()), xt, r.t(), x0Hat, optional(r.varianceOutput()));
  }

  @Override
  public double[] decoderNll(Requests.DecoderNll r) {
    INDArray logLikelihood = DiscretizedGaussian.logLikelihood(
        Nd.of(r.x0()), Nd.of(r.mean()), Nd.of(r.logVariance()),
        SameName.in(NormalCdf.class, conventions.decoderCdf()));
    int per = r.x0().perSample();
    double[] ll = logLikelihood.dup('c').data().asDouble();
    double[] nll = new double[r.x0().batch()];
    for (int i = 0; i < ll.length; i++) {
      nll[i / per] -= ll[i];
    }
    return nll;
  }

  @Override
  public Tensor ddpmStep(Requests.DdpmStep r) {
    NoiseSchedule s = schedule(r.schedule());
    Timesteps plan = r.s() > 0 ? Timesteps.of(s.T(), r.t(), r.s()) : Timesteps.of(s.T(), r.t());
    DdpmStep step = new DdpmStep(
        s, plan, choice(r.choice()), t1LogVariance(), clipping(r.clipping()));
    INDArray xt = Nd.of(r.xt());
    return Nd.of(step.step(prediction(r.prediction()), xt, batchOf(xt, r.t()), Nd.of(r.modelOutput()),
        optional(r.varianceOutput()), Nd.of(r.noise())));
  }

  @Override
  public Tensor ddimStep(Requests.DdimStep r) {
    INDArray xt = Nd.of(r.xt());
    return Nd.of(ddim(r.schedule(), r.eta(), r.clipping()).step(prediction(r.prediction()), xt,
        batchOf(xt, r.t()), batchOf(xt, r.s()), Nd.of(r.modelOutput()), Nd.of(r.noise())));
  }

  @Override
  public Tensor ddimInvertStep(Requests.DdimInvertStep r) {
    INDArray xs = Nd.of(r.xs());
    return Nd.of(ddim(r.schedule(), 0.0, r.clipping()).invert(prediction(r.prediction()), xs,
        batchOf(xs, r.s()), batchOf(xs, r.t()), Nd.of(r.modelOutput())));
  }

  @Override
  public StepPlan timesteps(Requests.Timesteps r) {
    Timesteps t = selection(r);
    int[] previous = new int[t.size()];
    for (int k = 0; k < previous.length; k++) {
      previous[k] = t.previous(k, SameName.in(
          PreviousTimestep.class,
          conventions.previousTimestep()));
    }
    return new StepPlan(t.values(), previous);
  }

  /** The reference's {@link DdimSampler} with the kit's model behind a {@link NoisePredictor}. */
  @Override
  public Tensor ddimSample(LoopRequests.DdimSample r, Model model) {
    DdimSampler sampler = new DdimSampler(ddim(r.schedule(), r.eta(), r.clipping()),
        selection(r.selection()),
        SameName.in(PreviousTimestep.class, conventions.previousTimestep()));
    return Nd.of(sampler.sample(predictor(r.prediction(), model), Nd.of(r.x()),
        (k, t, shape) -> Nd.of(r.noise().get(k)), false, StepListener.NONE).sample());
  }

  /**
   * Ancestral sampling as a loop of the reference's {@link DdpmStep}, each step t_k → s_k landing
   * where the declared previous-timestep convention says ({@link #timesteps}).
   */
  @Override
  public Tensor ddpmSample(LoopRequests.DdpmSample r, Model model) {
    StepPlan plan = timesteps(r.selection());
    Tensor x = r.x();
    for (int k = 0; k < plan.timesteps().length; k++) {
      int t = plan.timesteps()[k];
      x = ddpmStep(new Requests.DdpmStep(r.schedule(), r.prediction(), r.choice(), r.clipping(),
          x, t, plan.previous()[k], model.output(x, t), null, r.noise().get(k)));
    }
    return x;
  }

  /**
   * The reference's DDIM inversion step up the visited timesteps, the model at the declared time;
   * under {@link InversionEnd#ALPHA_BAR_ZERO} a last step onto ᾱ = 0, which is ε̂ read at t_1.
   */
  @Override
  public Tensor ddimInvert(LoopRequests.DdimInvert r, Model model) {
    int[] tau = selection(r.selection()).values();
    DdimStep step = ddim(r.schedule(), 0.0, r.clipping());
    InversionModelTime when = SameName.in(InversionModelTime.class,
        conventions.inversionModelTime());
    Tensor x = r.x();
    int s = r.from();
    for (int k = tau.length - (s == 0 ? 1 : 2); k >= 0; k--) {
      Tensor out = model.output(x, step.inversionModelTime(s, tau[k], when));
      x = ddimInvertStep(new Requests.DdimInvertStep(r.schedule(), r.prediction(), r.clipping(),
          x, s, tau[k], out));
      s = tau[k];
    }
    if (conventions.inversionEnd() == InversionEnd.ALPHA_BAR_ZERO) {
      int[] t1 = new int[x.batch()];
      java.util.Arrays.fill(t1, tau[0]);
      return convert(new Requests.Convert(r.schedule(), Quantity.valueOf(r.prediction().name()),
          Quantity.EPSILON, x, t1, model.output(x, tau[0])));
    }
    return x;
  }

  /** The reference's selection for a timesteps request. */
  private static Timesteps selection(Requests.Timesteps r) {
    return r.spacing() == Spacing.SECTIONS && r.sections() != null
        ? Timesteps.sections(r.steps(), r.sections())
        : Timesteps.select(SameName.in(org.diffusiontck.reference.sampling.Spacing.class,
            r.spacing()), r.steps(), r.count(),
            r.leadingOffset() == null ? 0 : r.leadingOffset());
  }

  /** {@code model} as the reference's samplers call it, with one timestep for the whole batch. */
  private static NoisePredictor predictor(Prediction p, Model model) {
    return new NoisePredictor() {
      @Override
      public org.diffusiontck.reference.param.Prediction prediction() {
        return ReferenceImplementation.prediction(p);
      }

      @Override
      public INDArray predict(INDArray xt, int[] t) {
        return Nd.of(model.output(Nd.of(xt), t[0]));
      }
    };
  }

  private DdimStep ddim(ScheduleSpec spec, double eta, Clipping clipping) {
    return new DdimStep(schedule(spec), eta,
        SameName.in(DdimEpsilon.class,
            conventions.ddimEpsilon()),
        SameName.in(FinalAlphaBar.class,
            conventions.finalAlphaBar()),
        clipping(clipping));
  }

  private VariationalBound bound(ScheduleSpec spec, VarianceChoice choice) {
    return new VariationalBound(schedule(spec), choice(choice), t1LogVariance(),
        SameName.in(NormalCdf.class, conventions.decoderCdf()));
  }

  private T1LogVariance t1LogVariance() {
    return SameName.in(
        T1LogVariance.class, conventions.t1LogVariance());
  }

  /** The reference's variance choice of the same name. */
  public static org.diffusiontck.reference.reverse.VarianceChoice choice(VarianceChoice c) {
    return SameName.in(org.diffusiontck.reference.reverse.VarianceChoice.class, c);
  }

  /** The reference's prediction of the same name. */
  public static org.diffusiontck.reference.param.Prediction prediction(Prediction p) {
    return SameName.in(org.diffusiontck.reference.param.Prediction.class, p);
  }

  /** The reference's treatment of x̂_0 for a wire {@link Clipping}. */
  public static X0Clipping clipping(Clipping c) {
    if (c == null) {
      throw new IllegalArgumentException("clipping must not be null");
    }
    return switch (c.kind()) {
      case NONE -> X0Clipping.NONE;
      case CLIP -> X0Clipping.CLIP;
      case DYNAMIC -> X0Clipping.dynamicThresholding(c.percentile(), c.maxValue());
    };
  }

  private static INDArray optional(Tensor t) {
    return t == null ? null : Nd.of(t);
  }

  /** One timestep for every batch element of x. */
  private static int[] batchOf(INDArray x, int t) {
    int[] out = new int[(int) x.size(0)];
    java.util.Arrays.fill(out, t);
    return out;
  }
}
