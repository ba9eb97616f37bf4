package dev.unidler.app;

/**
 * Records Kubernetes Events on the workloads the operations change, so that
 * {@code kubectl describe} tells what the unidler did and why.
 * <p>
 * Recording is a side effect that never decides anything: an implementation returns at
 * once, never blocks the caller's thread, never throws, and bounds what it writes (a
 * flood of identical Events becomes one series).
 */
@FunctionalInterface
public interface AppEvents {

	/** Records an Event, later; never fails nor waits. */
	void record(AppEvent event);

}
