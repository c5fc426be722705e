package dev.samsa.spec.config;

/** Who reads a setting, as Kafka's documentation groups them. */
public enum Scope {
    BROKER("broker"),
    CONTROLLER("controller"),
    TOPIC("topic"),
    PRODUCER("producer"),
    CONSUMER("consumer"),
    /** samsa's own knobs: cluster shape, fault model, workload size. */
    SIMULATION("simulation");

    private final String label;

    Scope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
