import { type Scenario, PASTED_TEXT_TAG } from './scenario-types';
import { ARTIFACTS, customizers as c, galleryTarget, managedImageTarget, sources } from './template-parts';

// Failures the template cannot show: an Azure DevOps task that gave up, or VMs misbehaving after a good build.
// The template's last run Succeeded; the text a user would paste into the chat (task output, what the VM did)
// rides in the PASTED_TEXT_TAG tag. Tag values are capped at 256 characters in Azure, so each is the key lines.

const successLog = (os: 'linux' | 'windows', names: string[]) => ({
  os,
  customizers: names.map((name) => ({ type: os === 'windows' ? ('powershell' as const) : ('shell' as const), name })),
});

export const pipelineAndAfterBuildScenarios: Scenario[] = [
  {
    name: 'win2016-devops-webapp',
    expectedId: 'devops-task-canceled',
    os: 'windows',
    template: {
      source: sources.win2016,
      customize: [c.file('webapp', `${ARTIFACTS}/devops/webapp.zip`, 'C:\\buildArtifacts\\webapp.zip'), c.powershell('deploy-webapp', ['Expand-Archive C:\\buildArtifacts\\webapp.zip C:\\inetpub\\wwwroot'])],
      distribute: [galleryTarget('win2016-webapp', 'win2016-devops-webapp-sig', ['westeurope', 'eastus', 'westus2', 'japaneast'])],
    },
    tags: {
      [PASTED_TEXT_TAG]:
        '2024-05-14T18:28:52.9281282Z starting run template...\n2024-05-14T19:33:14.3923479Z ##[error]The operation was canceled.\n2024-05-14T19:33:14.3939721Z ##[section]Finishing: Azure VM Image Builder Task',
    },
    status: { kind: 'succeeded', log: successLog('windows', ['deploy-webapp']) },
    tookMinutes: 88,
  },
  {
    name: 'ubuntu2204-devops-agent',
    expectedId: 'devops-task-error',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shellScript('agent-tools', `${ARTIFACTS}/devops/agent-tools.sh`)],
      distribute: [galleryTarget('ubuntu2204-agent', 'ubuntu2204-devops-agent-sig')],
    },
    tags: {
      [PASTED_TEXT_TAG]:
        '2024-05-14T07:02:11.4410021Z starting run template...\n2024-05-14T07:02:13.0188214Z ##[error]run template call failed for template t_1715670131842: Error: getaddrinfo EAI_AGAIN management.azure.com',
    },
    status: { kind: 'succeeded', log: successLog('linux', ['agent-tools']) },
  },
  {
    name: 'win2022-rdsh',
    expectedId: 'windows-modules-installer',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('rdsh-role', ['Install-WindowsFeature -Name RDS-RD-Server']), c.windowsUpdate()],
      distribute: [galleryTarget('win2022-rdsh', 'win2022-rdsh-sig')],
    },
    tags: {
      [PASTED_TEXT_TAG]:
        "First RDP logon to vm-rdsh-01 (image win2022-rdsh 1.0.4112) sits on 'Please wait for the Windows Modules Installer' for over 20 minutes.",
    },
    status: { kind: 'succeeded', log: { os: 'windows', customizers: [{ type: 'powershell', name: 'rdsh-role' }, { type: 'windows-update', name: 'windows-update' }] } },
    tookMinutes: 73,
  },
  {
    name: 'ubuntu2204-app',
    expectedId: 'vm-creation-failed',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shellScript('app', `${ARTIFACTS}/linux/app-install.sh`), c.shell('cleanup', ['sudo rm -rf /var/lib/waagent/*'])],
      distribute: [managedImageTarget('ubuntu2204-app', 'ubuntu2204-app-mi')],
    },
    tags: {
      [PASTED_TEXT_TAG]:
        "az vm create --image ubuntu2204-app: (OSProvisioningTimedOut) OS Provisioning for VM 'vm-app-03' did not finish in the allotted time. The VM may still finish provisioning successfully.",
    },
    status: { kind: 'succeeded', log: successLog('linux', ['app', 'cleanup']) },
  },
];
