/**
 * Not API: {@link org.wgan.core.internal.Checks}, the argument checks every module shares, so that each
 * "must be" message is worded the same way. It depends on nothing else of the library. Anything here may change
 * without notice.
 */
package org.wgan.core.internal;
