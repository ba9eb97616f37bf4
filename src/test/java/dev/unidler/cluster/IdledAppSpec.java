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
 * @param externalName the idled Service's {@code externalName} (default
 * {@link #UNIDLER_NAME})
 */
public record IdledAppSpec(String name, String host, String lookupLabel, String lookupValue, String replicasAnnotation,
		String idledAt, boolean unschedulable, String appLabel, String externalName) {

	/** Label marking an idled Deployment. */
	public static final String IDLED_LABEL = "mojanalytics.xyz/idled";

	/** Annotation with the time the Deployment was idled. */
	public static final String IDLED_AT_ANNOTATION = "mojanalytics.xyz/idled-at";

	/** Annotation with the replica count to restore. */
	public static final String REPLICAS_ANNOTATION = "mojanalytics.xyz/replicas-when-unidled";

	/** Default lookup label key. */
	public static final String DEFAULT_LOOKUP_LABEL = "host";

	/** Where {@code deploy/} installs the unidler, one of the names it answers to. */
	public static final String UNIDLER_NAME = "unidler.unidler.svc.cluster.local";

	/** The old idler's name for the unidler, which it answers to as well. */
	public static final String OLD_UNIDLER_NAME = "unidler.default.svc.cluster.local";

	/** Default idled-at annotation value. */
	public static final String DEFAULT_IDLED_AT = "2018-02-07T11:44:20+00:00";

	public IdledAppSpec {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(host, "host");
		Objects.requireNonNull(lookupLabel, "lookupLabel");
		Objects.requireNonNull(idledAt, "idledAt");
		Objects.requireNonNull(appLabel, "appLabel");
		Objects.requireNonNull(externalName, "externalName");
	}

	/**
	 * An app with the defaults of the existing idler.
	 * @param name name of the Deployment and the Service
	 * @return the spec
	 */
	public static IdledAppSpec named(String name) {
		return new IdledAppSpec(name, name + ".example.test", DEFAULT_LOOKUP_LABEL, null, "3", DEFAULT_IDLED_AT, false,
				name, UNIDLER_NAME);
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
				this.idledAt, this.unschedulable, this.appLabel, this.externalName);
	}

	public IdledAppSpec lookupLabel(String lookupLabel) {
		return new IdledAppSpec(this.name, this.host, lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel, this.externalName);
	}

	public IdledAppSpec lookupValue(String lookupValue) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel, this.externalName);
	}

	public IdledAppSpec replicasAnnotation(String replicasAnnotation) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel, this.externalName);
	}

	public IdledAppSpec idledAt(String idledAt) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				idledAt, this.unschedulable, this.appLabel, this.externalName);
	}

	public IdledAppSpec unschedulable(boolean unschedulable) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, unschedulable, this.appLabel, this.externalName);
	}

	public IdledAppSpec appLabel(String appLabel) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, appLabel, this.externalName);
	}

	public IdledAppSpec externalName(String externalName) {
		return new IdledAppSpec(this.name, this.host, this.lookupLabel, this.lookupValue, this.replicasAnnotation,
				this.idledAt, this.unschedulable, this.appLabel, externalName);
	}

}
