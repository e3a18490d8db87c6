package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"

	"github.com/gongkai-project/gongkai/config"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "check configuration files"}
	cmd.AddCommand(&cobra.Command{
		Use:     "check FILE",
		Short:   "report every problem in a configuration file, with its line number",
		Example: `  gongkai config check gongkai.yaml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := config.Load(args[0]); err != nil {
				if ps, ok := err.(config.Problems); ok {
					for _, p := range ps {
						fmt.Fprintln(cmd.OutOrStdout(), p.Error())
					}
					return fmt.Errorf("%s: %d problem(s)", args[0], len(ps))
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", args[0])
			return nil
		},
	})
	return cmd
}

func (a *app) passwdCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "passwd",
		Short: "read a password from standard input and print its bcrypt hash for server.users",
		Example: `  gongkai passwd                 # type the password; paste the hash into server.users
  printf '%s\n' "$PASSWORD" | gongkai passwd`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var pw string
			if term.IsTerminal(int(os.Stdin.Fd())) {
				fmt.Fprint(cmd.ErrOrStderr(), "密码: ")
				b, err := term.ReadPassword(int(os.Stdin.Fd()))
				fmt.Fprintln(cmd.ErrOrStderr())
				if err != nil {
					return err
				}
				pw = string(b)
			} else {
				line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if err != nil && line == "" {
					return fmt.Errorf("read password: %w", err)
				}
				pw = strings.TrimRight(line, "\r\n")
			}
			if len(pw) < 8 {
				return &usageError{"password must have at least 8 characters"}
			}
			h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), string(h))
			return nil
		},
	}
}
