// Cases added while merging issue14b after issue14a: SecretsPod checks its props (checkProps), which
// refuses a missing mount with the generic rule; an object shaped like a PodSecretsMount passes that
// structural check and still meets the construct's own instanceof check.
import { SecretsPod } from "../../../constructs/kubernetes/secrets-pod";
import { BadInputCase } from "../battery";
import { onDefault } from "../fixtures";

export const cases: BadInputCase[] = [
  {
    name: "a bare pod given a look-alike of a PodSecretsMount",
    build: onDefault((d) => {
      const real = d.demo!.workloadIdentity.pod;
      const mount = { mountPath: real.mountPath, podLabels: real.podLabels, secretProviderClass: real.secretProviderClass, volume: real.volume, volumeMount: real.volumeMount, volumeName: real.volumeName };
      new SecretsPod(d.cluster, "extra-pod", { mount: mount as any, name: "extra-pod", image: "busybox" });
    }),
    expect: { path: "cluster/extra-pod", field: "mount", rule: /^needs the PodSecretsMount of the class to mount/ },
  },
];
