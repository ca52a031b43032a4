package org.wgan.core.checkpoint;

import java.util.List;

/**
 * A checkpoint that does not fit what it was to be restored into, with every difference found: thrown before
 * anything is written, so the networks, counters, random state and participants are as they were.
 *
 * <p>The message is the summary followed by one line per difference, each naming the part and both values:
 * <pre>
 * checkpoint of generator step 7 does not fit this trainer; nothing was restored. 2 differences:
 *   - critic parameters: checkpoint has length 65, this critic 33
 *   - seed: checkpoint 7, this trainer 8
 * </pre>
 */
public final class CheckpointMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The differences, one sentence each. */
    private final List<String> differences;

    /**
     * A mismatch with at least one difference.
     *
     * @param summary     what was refused, e.g. "checkpoint of generator step 7 does not fit this trainer"
     * @param differences one sentence per difference, naming both values
     * @throws IllegalArgumentException if there is no difference
     */
    public CheckpointMismatchException(String summary, List<String> differences) {
        super(message(summary, differences));
        this.differences = List.copyOf(differences);
    }

    private static String message(String summary, List<String> differences) {
        if (differences.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint mismatch needs at least one difference");
        }
        StringBuilder out = new StringBuilder(summary).append(". ").append(differences.size())
                .append(differences.size() == 1 ? " difference:" : " differences:");
        differences.forEach(d -> out.append("\n  - ").append(d));
        return out.toString();
    }

    /** Every difference found, one sentence each, in the order they were checked. */
    public List<String> differences() {
        return differences;
    }
}
