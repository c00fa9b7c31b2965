import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'

/** Native menus: library files, editing, view and help. */
export function installMenu(window: BrowserWindow, openLibrary: (file: string) => void): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Library…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const choice = await dialog.showOpenDialog(window, {
              title: 'Open a MicroAU library',
              properties: ['openFile'],
              filters: [{ name: 'MicroAU library', extensions: ['sqlite', 'db'] }],
            })
            if (!choice.canceled && choice.filePaths[0]) openLibrary(choice.filePaths[0])
          },
        },
        {
          label: 'New Library…',
          accelerator: 'CmdOrCtrl+Shift+N',
          click: async () => {
            const choice = await dialog.showSaveDialog(window, {
              title: 'Create a MicroAU library',
              defaultPath: 'library.sqlite',
              filters: [{ name: 'MicroAU library', extensions: ['sqlite'] }],
            })
            if (!choice.canceled && choice.filePath) openLibrary(choice.filePath)
          },
        },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: `About MicroAU Studio ${app.getVersion()}`, click: () => app.showAboutPanel() },
      ],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
