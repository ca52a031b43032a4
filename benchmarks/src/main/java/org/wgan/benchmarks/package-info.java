/**
 * JMH benchmarks of the library's hot paths. Build with {@code mvn -B -q -pl benchmarks -am package -DskipTests}
 * and run {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package org.wgan.benchmarks;
