/**
 * Training listeners: {@link org.wgan.core.listener.TrainerListener} (no-op defaults), its event records, the
 * {@link org.wgan.core.listener.StopHandle}, a slf4j {@link org.wgan.core.listener.LoggingListener} and the
 * {@link org.wgan.core.listener.NonFiniteGuard}.
 */
package org.wgan.core.listener;
