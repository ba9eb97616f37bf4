package dev.unidler.cluster;

import java.util.Objects;

/**
 * What {@link TestNamespace#createIdledApp(IdledAppSpec)} creates. Immutable; start with
 * {@link #named(String)} and refine, e.g.
 * {@code IdledAppSpec.named("app1").host("app1.example.test")}.
 *
 * @param name name of the Deployment and the Service
 * @param host the app's host (default {@code <name>.example.test})
 * @param lookupLabel label key on the Deployment and the Service (default {@code host})
 * @param lookupValue value of the lookup label (default: the host)
 * @param replicasAnnotation value of {@code mojanalytics.xyz/replicas-when-unidled}
 * (default {@code "3"}; {@code null}: no annotation)
 * @param idledAt value of {@code mojanalytics.xyz/idled-at} (default
 * {@code 2018-02-07T11:44:20+00:00}; may be the legacy {@code "<timestamp>,<replicas>"})
 * @param unschedulable whether the pods get a node selector no node matches
 * @param appLabel value of the {@code app} label, the selector and the pod label
 * (default: the name)
 */
public record IdledAppSpec(String name, String host, String lookupLabel, String lookupValue, String replicasAnnotation,
		String idledAt, boolean unschedulable, String appLabel) {

	/** Label marking an idled Deployment. */
	public static final String IDLED_LABEL = "mojanalytics.xyz/idled";

	/** Annotation with the time the Deployment was idled. */
	public static final String IDLED_AT_ANNOTATION = "mojanalytics.xyz/idled-at";

	/** Annotation with the replica count to restore. */
	public static final String REPLICAS_ANNOTATION = "mojanalytics.xyz/replicas-when-unidled";

	/** Default lookup label key. */
	public static final String DEFAULT_LOOKUP_LABEL = "host";

	/** Default idled-at annotation value. */
	public static final String DEFAULT_IDLED_AT = "2018-02-07T11:44:20+00:00";

	public IdledAppSpec {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(host, "host");
		Objects.requireNonNull(lookupLabel, "lookupLabel");
		Objects.requireNonNull(idledAt, "idledAt");
		Objects.requireNonNull(appLabel, "appLabel");
	}

	/**
	 * An app with the defaults of the existing idler.
	 * @param name name of the Deployment and the Service
	 * @return the spec
	 */
	public static IdledAppSpec named(String name) {
		return new IdledAppSpec(name, name + ".example.test", DEFAULT_LOOKUP_LABEL, null, "3", DEFAULT_IDLED_AT, false,
				name);
	}

	/**
	 * The value of the lookup label: the one given, or the host.
	 * @return the lookup label's value
	 */
	@Override
	public String lookupValue() {
		return (this.lookupValue != null) ? this.lookupValue : this.host;
	}

	public IdledAppSpec host(String host) {
		return new IdledAppSpec(this.name, host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel);
	}

	public IdledAppSpec lookupLabel(String lookupLabel) {
		return new IdledAppSpec(this.name, this.host, lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel);
	}

	public IdledAppSpec lookupValue(String lookupValue) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel);
	}

	public IdledAppSpec replicasAnnotation(String replicasAnnotation) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel);
	}

	public IdledAppSpec idledAt(String idledAt) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				idledAt, this.unschedulable, this.appLabel);
	}

	public IdledAppSpec unschedulable(boolean unschedulable) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, unschedulable, this.appLabel);
	}

	public IdledAppSpec appLabel(String appLabel) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, appLabel);
	}

}
