package dev.unidler.app;

/**
 * Why a pod of the app is not starting.
 *
 * @param pod the pod name
 * @param reason the machine-readable reason, such as {@code ImagePullBackOff} or
 * {@code Unschedulable}
 * @param message what Kubernetes says about it
 * @param fatal whether it will not fix itself; an unschedulable pod may still be placed
 * once a node is added
 */
public record PodProblem(String pod, String reason, String message, boolean fatal) {

}
