package org.wgan.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of README's Layout section, checked on the compiled main classes of every module that
 * {@code wgan-examples} brings together (core, dl4j, losses, images, ui, examples), and wgan-spark. A violation fails
 * {@code mvn test}.
 */
@AnalyzeClasses(packages = "org.wgan", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final ArchRule CORE_NEVER_USES_DL4J_OR_AN_ENGINE = noClasses()
            .that().resideInAPackage("org.wgan.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.bytedeco..",
                    "org.wgan.dl4j..", "org.wgan.losses..", "org.wgan.examples..", "org.wgan.benchmarks..")
            .because("wgan-core is the API over nd4j-api; DL4J and the engine live in wgan-dl4j");

    private static final ArchRule LOSSES_NEVER_USE_DL4J_OR_EXAMPLES = noClasses()
            .that().resideInAPackage("org.wgan.losses..")
            .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.wgan.dl4j..",
                    "org.wgan.examples..", "org.wgan.benchmarks..")
            .because("objectives work on critic outputs, whatever network produced them");

    private static final ArchRule UI_NEEDS_ONLY_THE_CORE = noClasses()
            .that().resideInAPackage("org.wgan.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.bytedeco..",
                    "org.wgan.dl4j..", "org.wgan.losses..", "org.wgan.images..", "org.wgan.examples..",
                    "org.wgan.benchmarks..")
            .because("the dashboard reads a run folder and listens to the trainer; it works whatever trained");

    private static final ArchRule SPARK_NEEDS_ONLY_THE_CORE = noClasses()
            .that().resideInAPackage("org.wgan.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.bytedeco..",
                    "org.wgan.dl4j..", "org.wgan.losses..", "org.wgan.images..", "org.wgan.ui..",
                    "org.wgan.examples..", "org.wgan.benchmarks..")
            .because("the replicas come from the user's factories; the trainer works whatever networks they build");

    private static final ArchRule ONLY_THE_ADAPTERS_REACH_THE_ENGINE = noClasses()
            .that().resideOutsideOfPackages("org.wgan.dl4j..", "org.wgan.benchmarks..")
            .should().dependOnClassesThat().resideInAPackage("org.wgan.dl4j.engine..")
            .because("the engine is not API: only wgan-dl4j's adapters and the benchmarks call it");

    private static final ArchRule LIBRARY_NEVER_USES_EXAMPLES = noClasses()
            .that().resideInAnyPackage("org.wgan.core..", "org.wgan.dl4j..", "org.wgan.losses..", "org.wgan.ui..",
                    "org.wgan.spark..")
            .should().dependOnClassesThat().resideInAnyPackage("org.wgan.examples..", "org.wgan.benchmarks..");

    private static final ArchRule CHECKPOINTS_AND_METRICS_DO_NOT_KNOW_THE_TRAINER = noClasses()
            .that().resideInAnyPackage("org.wgan.core.checkpoint..", "org.wgan.core.metrics..")
            .should().dependOnClassesThat().resideInAPackage("org.wgan.core.training..")
            .because("a checkpoint or a metric is usable without a trainer");

    /**
     * No cycles between packages, but for the listener one: listeners receive the trainer's config and summary
     * ({@code TrainerListener.onTrainingStart(TrainerConfig)}), and the trainer notifies listeners.
     */
    private static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching("org.wgan.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage("org.wgan.core.listener"), resideInAPackage("org.wgan.core.training"));

    // Rules run as methods: Surefire 3.5.3 does not run @ArchTest fields (TNG/ArchUnit#1442).

    @ArchTest
    static void coreNeverUsesDl4jOrAnEngine(JavaClasses classes) {
        CORE_NEVER_USES_DL4J_OR_AN_ENGINE.check(classes);
    }

    @ArchTest
    static void lossesNeverUseDl4jOrExamples(JavaClasses classes) {
        LOSSES_NEVER_USE_DL4J_OR_EXAMPLES.check(classes);
    }

    @ArchTest
    static void uiNeedsOnlyTheCore(JavaClasses classes) {
        UI_NEEDS_ONLY_THE_CORE.check(classes);
    }

    @ArchTest
    static void sparkNeedsOnlyTheCore(JavaClasses classes) {
        SPARK_NEEDS_ONLY_THE_CORE.check(classes);
    }

    @ArchTest
    static void onlyTheAdaptersReachTheEngine(JavaClasses classes) {
        ONLY_THE_ADAPTERS_REACH_THE_ENGINE.check(classes);
    }

    @ArchTest
    static void libraryNeverUsesExamples(JavaClasses classes) {
        LIBRARY_NEVER_USES_EXAMPLES.check(classes);
    }

    @ArchTest
    static void checkpointsAndMetricsDoNotKnowTheTrainer(JavaClasses classes) {
        CHECKPOINTS_AND_METRICS_DO_NOT_KNOW_THE_TRAINER.check(classes);
    }

    @ArchTest
    static void noPackageCycles(JavaClasses classes) {
        NO_PACKAGE_CYCLES.check(classes);
    }
}
