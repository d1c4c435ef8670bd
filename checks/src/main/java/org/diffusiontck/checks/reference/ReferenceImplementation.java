package org.diffusiontck.checks.reference;

import java.util.EnumSet;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.forward.ForwardProcess;
import org.diffusiontck.reference.noise.PortableNoise;
import org.diffusiontck.reference.param.Parameterization;
import org.diffusiontck.reference.posterior.Posterior;
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
        EnumSet.allOf(ScheduleKind.class), true, conventions);
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
}
