package org.wgan.losses;


/** Overflow-free forms of the logistic functions used by the cross-entropy objectives. */
final class StableMath {

    private StableMath() {
    }

    /** {@code log(1 + e^x)}, exact to double precision for every finite x (no overflow, no log(1) cancellation). */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** {@code 1 / (1 + e^-x)} without overflow. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
