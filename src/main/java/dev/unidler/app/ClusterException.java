package dev.unidler.app;

/**
 * A request to Kubernetes that failed. The message is for logs, never for users.
 */
public class ClusterException extends RuntimeException {

	private final int status;

	/**
	 * @param message what was asked, for the log
	 * @param status the HTTP status of the answer, 0 when there was none
	 * @param cause the underlying failure
	 */
	public ClusterException(String message, int status, Throwable cause) {
		super(message, cause);
		this.status = status;
	}

	/** The HTTP status of the answer, 0 when there was none. */
	public int status() {
		return this.status;
	}

	/** Worth another try: no answer, throttling, or a server-side failure. */
	public boolean isTransient() {
		return this.status == 0 || this.status == 429 || this.status >= 500;
	}

}
