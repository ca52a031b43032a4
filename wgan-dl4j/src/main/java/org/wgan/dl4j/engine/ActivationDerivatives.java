package org.wgan.dl4j.engine;

import java.util.Optional;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * First and second derivatives of the pointwise activations the double backprop supports: identity, ReLU,
 * LeakyReLU, tanh, sigmoid, ELU and softplus. Piecewise-linear ones report no second derivative (it is zero
 * almost everywhere), which lets the adjoint pass skip its extra term.
 */
abstract class ActivationDerivatives {

    /** {@code s(z)}. */
    abstract INDArray value(INDArray z);

    /** {@code s'(z)}, a new array. */
    abstract INDArray first(INDArray z);

    /** {@code s''(z)}, a new array; only called when {@link #hasSecondDerivative()}. */
    INDArray second(INDArray z) {
        throw new UnsupportedOperationException("s'' is zero almost everywhere");
    }

    /** {@code s(z)} written into {@code out} (shaped like z); may allocate temporaries. */
    void valueInto(INDArray z, INDArray out) {
        out.assign(value(z));
    }

    /** {@code s'(z)} written into {@code out} (shaped like z); may allocate temporaries. */
    void firstInto(INDArray z, INDArray out) {
        out.assign(first(z));
    }

    /**
     * {@code e = s'(z) * delta}, with {@code s'(z)} also written into {@code first} when it is not null (the
     * adjoint pass of the penalty reads it again); {@code e} and {@code first} shaped like z.
     */
    void firstTimesInto(INDArray z, INDArray delta, INDArray e, INDArray first) {
        firstInto(z, e);
        if (first != null) {
            first.assign(e);
        }
        e.muli(delta);
    }

    /** {@code s''(z)} written into {@code out}; only called when {@link #hasSecondDerivative()}. */
    void secondInto(INDArray z, INDArray out) {
        out.assign(second(z));
    }

    /**
     * The slope below zero when the activation is {@code z > 0 ? z : slope z} (0 for ReLU, 1 for the identity),
     * which lets the SIMD loops fuse it; NaN for the others.
     */
    double leakySlope() {
        return Double.NaN;
    }

    /** False for piecewise-linear activations. */
    boolean hasSecondDerivative() {
        return false;
    }

    /** The derivatives of a DL4J activation, or empty when it is not supported. */
    static Optional<ActivationDerivatives> of(IActivation activation) {
        return of(activation, LoopThreads.threads());
    }

    /**
     * {@link #of(IActivation)}, its SIMD loops split over at most {@code loopThreads} threads (1: on the caller, for a
     * network whose products run on OpenBLAS's threads, {@link LayerStack#loopThreads}).
     */
    static Optional<ActivationDerivatives> of(IActivation activation, int loopThreads) {
        if (activation instanceof ActivationIdentity) {
            return Optional.of(leaky(1.0, loopThreads));
        }
        if (activation instanceof ActivationReLU relu) {
            boolean plain = relu.getMax() == null && (relu.getThreshold() == null || relu.getThreshold() == 0)
                    && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
            return plain ? Optional.of(leaky(0.0, loopThreads)) : Optional.empty();
        }
        if (activation instanceof ActivationLReLU lrelu) {
            return Optional.of(leaky(lrelu.getAlpha(), loopThreads));
        }
        if (activation instanceof ActivationTanH) {
            return Optional.of(new Tanh());
        }
        if (activation instanceof ActivationSigmoid) {
            return Optional.of(new Logistic(false));
        }
        if (activation instanceof ActivationSoftPlus) {
            return Optional.of(new Logistic(true));
        }
        if (activation instanceof ActivationELU elu) {
            return Optional.of(new Elu(elu.getAlpha()));
        }
        return Optional.empty();
    }

    /** {@code z} for z > 0, {@code slope * z} otherwise (slope 1: identity, 0: ReLU). */
    private static ActivationDerivatives leaky(double slope, int loopThreads) {
        return new ActivationDerivatives() {
            @Override
            double leakySlope() {
                return slope;
            }

            @Override
            INDArray value(INDArray z) {
                if (slope == 1.0) {
                    return z.dup();
                }
                return z.mul(first(z));
            }

            @Override
            INDArray first(INDArray z) {
                if (slope == 1.0) {
                    return z.ulike().assign(1.0);
                }
                return z.gt(0.0).castTo(z.dataType()).muli(1.0 - slope).addi(slope);
            }

            // allocation-free versions for the preallocated training buffers
            @Override
            void valueInto(INDArray z, INDArray out) {
                if (slope == 1.0) {
                    out.assign(z);
                } else if (ElementLoops.activationInto(z, out, slope, loopThreads)) {
                    return;
                } else if (slope == 0.0) {
                    Nd4j.exec(new RectifiedLinear(z, out, 0.0));
                } else {
                    Nd4j.exec(new LeakyReLU(z, out, slope));
                }
            }

            @Override
            void firstInto(INDArray z, INDArray out) {
                if (slope == 1.0) {
                    out.assign(1.0);
                    return;
                }
                if (ElementLoops.derivativeTimesInto(z, null, null, out, slope, loopThreads)) {
                    return;
                }
                Nd4j.exec(new Step(z, out, 0.0));
                if (slope != 0.0) {
                    out.muli(1.0 - slope).addi(slope);
                }
            }

            @Override
            void firstTimesInto(INDArray z, INDArray delta, INDArray e, INDArray first) {
                if (!ElementLoops.derivativeTimesInto(z, delta, e, first, slope, loopThreads)) {
                    super.firstTimesInto(z, delta, e, first);
                }
            }
        };
    }

    private static final class Tanh extends ActivationDerivatives {
        @Override
        INDArray value(INDArray z) {
            return Transforms.tanh(z, true);
        }

        @Override
        INDArray first(INDArray z) {
            INDArray t = Transforms.tanh(z, true);
            return t.muli(t).rsubi(1.0);
        }

        @Override
        void valueInto(INDArray z, INDArray out) {
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh(z, out));
        }

        @Override
        void firstInto(INDArray z, INDArray out) {
            valueInto(z, out);
            out.muli(out).rsubi(1.0);
        }

        @Override
        INDArray second(INDArray z) {
            INDArray t = Transforms.tanh(z, true);
            return t.mul(t).rsubi(1.0).muli(t).muli(-2.0);
        }

        @Override
        boolean hasSecondDerivative() {
            return true;
        }
    }

    /** Sigmoid ({@code softplus == false}) or softplus, whose derivative is the sigmoid. */
    private static final class Logistic extends ActivationDerivatives {
        private final boolean softplus;

        Logistic(boolean softplus) {
            this.softplus = softplus;
        }

        @Override
        INDArray value(INDArray z) {
            return softplus ? Transforms.softPlus(z, true) : Transforms.sigmoid(z, true);
        }

        @Override
        INDArray first(INDArray z) {
            INDArray s = Transforms.sigmoid(z, true);
            return softplus ? s : s.mul(s.rsub(1.0));
        }

        @Override
        INDArray second(INDArray z) {
            INDArray s = Transforms.sigmoid(z, true);
            INDArray ds = s.mul(s.rsub(1.0));
            return softplus ? ds : ds.muli(s.muli(-2.0).addi(1.0));
        }

        @Override
        boolean hasSecondDerivative() {
            return true;
        }
    }

    /** {@code z} for z > 0, {@code alpha (e^z - 1)} otherwise. */
    private static final class Elu extends ActivationDerivatives {
        /** {@code e^min(z, 0)}: never overflows, and equals e^z wherever it is used. */
        private static INDArray expOfNegativePart(INDArray z) {
            return Transforms.exp(Transforms.min(z, 0.0, true), false);
        }

        private final double alpha;

        Elu(double alpha) {
            this.alpha = alpha;
        }

        @Override
        INDArray value(INDArray z) {
            INDArray positive = z.gt(0.0).castTo(z.dataType());
            INDArray negativePart = expOfNegativePart(z).subi(1.0).muli(alpha).muli(positive.rsub(1.0));
            return z.mul(positive).addi(negativePart);
        }

        @Override
        INDArray first(INDArray z) {
            INDArray positive = z.gt(0.0).castTo(z.dataType());
            return expOfNegativePart(z).muli(alpha).muli(positive.rsub(1.0)).addi(positive);
        }

        @Override
        INDArray second(INDArray z) {
            INDArray negative = z.gt(0.0).castTo(z.dataType()).rsubi(1.0);
            return expOfNegativePart(z).muli(alpha).muli(negative);
        }

        @Override
        boolean hasSecondDerivative() {
            return true;
        }
    }
}
