/**
 * What every example main shares: ND4J's native settings ({@link org.wgan.examples.support.NativeSetup}, applied first
 * in each main), its thread count and line charts.
 */
package org.wgan.examples.support;
