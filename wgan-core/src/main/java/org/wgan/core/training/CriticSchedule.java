package org.wgan.core.training;

import org.wgan.core.internal.Checks;

/**
 * How many critic updates precede each generator update.
 *
 * <p>The WGAN paper trains the critic {@value #PAPER_WARM_UP_CRITIC_STEPS} times per generator step while the
 * generator step is below {@value #PAPER_WARM_UP_GENERATOR_STEPS} and at every multiple of
 * {@value #PAPER_WARM_UP_EVERY}, so the critic stays near its optimum; otherwise {@code criticSteps} times.
 *
 * @param criticSteps       critic updates per generator step outside the warm-up, {@code >= 1}
 * @param warmUpCriticSteps critic updates per generator step during the warm-up, {@code >= 1}
 * @param warmUpUntil       generator steps {@code g < warmUpUntil} are warm-up steps ({@code 0}: none)
 * @param warmUpEvery       generator steps {@code g % warmUpEvery == 0} are warm-up steps ({@code 0}: none)
 */
public record CriticSchedule(int criticSteps, int warmUpCriticSteps, long warmUpUntil, long warmUpEvery) {

    /** Critic steps per generator step in both papers. */
    public static final int DEFAULT_CRITIC_STEPS = 5;
    /** The WGAN paper's warm-up: critic steps. */
    public static final int PAPER_WARM_UP_CRITIC_STEPS = 100;
    /** The WGAN paper's warm-up: the first generator steps. */
    public static final long PAPER_WARM_UP_GENERATOR_STEPS = 25;
    /** The WGAN paper's warm-up: every this many generator steps. */
    public static final long PAPER_WARM_UP_EVERY = 500;

    public CriticSchedule {
        Checks.atLeast("criticSteps", criticSteps, 1);
        Checks.atLeast("warmUpCriticSteps", warmUpCriticSteps, 1);
        Checks.atLeast("warmUpUntil", warmUpUntil, 0);
        Checks.atLeast("warmUpEvery", warmUpEvery, 0);
    }

    /** {@code criticSteps} critic updates before every generator update, no warm-up. */
    public static CriticSchedule constant(int criticSteps) {
        return new CriticSchedule(criticSteps, criticSteps, 0, 0);
    }

    /** {@code criticSteps} critic updates per generator update, with the WGAN paper's warm-up. */
    public static CriticSchedule withPaperWarmUp(int criticSteps) {
        return new CriticSchedule(criticSteps, PAPER_WARM_UP_CRITIC_STEPS, PAPER_WARM_UP_GENERATOR_STEPS,
                PAPER_WARM_UP_EVERY);
    }

    /**
     * Critic updates before generator step {@code generatorStep} (counted from 0).
     *
     * @throws IllegalArgumentException if generatorStep is negative
     */
    public int criticStepsAt(long generatorStep) {
        Checks.atLeast("generatorStep", generatorStep, 0);
        boolean warmUp = generatorStep < warmUpUntil || (warmUpEvery > 0 && generatorStep % warmUpEvery == 0);
        return warmUp ? warmUpCriticSteps : criticSteps;
    }

    /** Whether the schedule has a warm-up phase at all. */
    public boolean hasWarmUp() {
        return warmUpUntil > 0 || warmUpEvery > 0;
    }
}
