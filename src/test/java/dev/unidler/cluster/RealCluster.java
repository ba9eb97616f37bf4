package dev.unidler.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real Kubernetes control plane (etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler and KWOK fake nodes on
 * loopback), and lets its tests take {@link TestCluster} and {@link TestNamespace}
 * parameters. See {@link ClusterExtension} for how the cluster is found or started.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ClusterExtension.class)
public @interface RealCluster {

}
