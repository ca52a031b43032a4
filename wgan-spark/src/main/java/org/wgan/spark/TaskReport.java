package org.wgan.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one task returns when its round ends: its step events, where it stopped, and the time and bytes its
 * gradient exchange took.
 */
record TaskReport(int partition, List<StepRecord> steps, long generatorStep, long criticUpdates, long exchangeNanos,
        long bytesSent, long trainNanos) implements Serializable {

    private static final long serialVersionUID = 1L;
}
