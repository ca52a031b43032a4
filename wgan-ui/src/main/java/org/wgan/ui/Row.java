package org.wgan.ui;

/**
 * One generator step of a run's history, as {@code history.csv} holds it.
 *
 * @param step                generator steps completed (from 1)
 * @param criticLoss          the critic's loss without the penalty
 * @param generatorLoss       the generator's loss
 * @param wassersteinEstimate {@code -criticLoss}
 * @param penalty             the Lipschitz penalty
 * @param seconds             wall time of the step
 */
record Row(long step, double criticLoss, double generatorLoss, double wassersteinEstimate, double penalty,
        double seconds) {

    /** The columns of {@code history.csv}, its first line. */
    static final String HEADER = "step,criticLoss,generatorLoss,wassersteinEstimate,penalty,seconds";

    /**
     * The row of one CSV line, or null when the line is the header or is not six numbers (a line that another
     * version wrote, or that an editor damaged, is skipped rather than stopping the page).
     */
    static Row parse(String line) {
        String[] f = line.trim().split(",", -1);
        if (f.length != 6 || f[0].equals("step")) {
            return null;
        }
        try {
            return new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
